/* @file arguments, as in the official CLI: "@path" anywhere on the command line is
 * replaced by the arguments written in that file. */
#ifndef CLI_ARGFILE_H
#define CLI_ARGFILE_H

/*
 * Expand every "@path" argument (recursively, up to a small depth) into *out_argv, a new
 * NULL-terminated vector of heap strings (free with cli_argfile_free). Lines starting with
 * '#' are comments; words split on blanks; single and double quotes group, a backslash
 * escapes the next character (outside single quotes). Returns 0, or -1 after printing why.
 */
int cli_argfile_expand(int argc, char **argv, char ***out_argv, int *out_argc);
void cli_argfile_free(char **argv, int argc);

#endif
