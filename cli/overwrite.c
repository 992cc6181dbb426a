/* The overwrite policy and output directories. */
#include "overwrite.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <aws-esdk-c/error.h>

#include "io.h"

/* Ask "overwrite X? [y/N]" on the controlling terminal; false if there is none. */
static bool ask(const char *path)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0) {
        cli_warn("%s exists and there is no terminal to ask (--interactive): skipped", path);
        return false;
    }
    char question[4200];
    char answer[16] = {0};
    int n = snprintf(question, sizeof question, "aws-esdk: overwrite '%s'? [y/N] ", path);
    bool yes = false;
    if (n > 0 &&
        cli_write_all(
            fd, question, (size_t)n < sizeof question ? (size_t)n : sizeof question - 1) == 0) {
        ssize_t got = read(fd, answer, sizeof answer - 1);
        yes = got > 0 && (answer[0] == 'y' || answer[0] == 'Y');
    }
    close(fd);
    if (!yes) {
        cli_info("%s: not overwritten", path);
    }
    return yes;
}

/* mkdir each missing directory between root and the output's parent. */
static int make_parents(const cli_job *job, mode_t mode, cli_err *err)
{
    size_t root_len = strlen(job->out_root);
    char *path = strdup(job->output);
    if (!path) {
        return cli_err_set(err, ESDK_ERR_NO_MEMORY, "out of memory");
    }
    for (char *p = path + root_len + 1; (p = strchr(p, '/')) != NULL; p++) {
        *p = '\0';
        if (mkdir(path, mode) != 0 && errno != EEXIST) {
            int e = errno;
            cli_err_set(err, ESDK_ERR_IO, "cannot create the directory %s: %s", path, strerror(e));
            free(path);
            return ESDK_ERR_IO;
        }
        *p = '/';
    }
    free(path);
    return 0;
}

int cli_prepare_output(const cli_config *cfg, const cli_job *job, bool *replace, cli_err *err)
{
    struct stat in_st, out_st;
    *replace = false;
    if (strcmp(job->output, "-") == 0) {
        return 0;
    }
    if (stat(job->output, &out_st) != 0) {
        if (errno != ENOENT) {
            return cli_err_set(err, ESDK_ERR_IO, "%s: %s", job->output, strerror(errno));
        }
        /* decrypted trees are private to the user; encrypted ones follow the umask */
        mode_t mode = cfg->mode == ESDK_MODE_ENCRYPT ? 0777 : 0700;
        return job->out_root ? make_parents(job, mode, err) : 0;
    }
    if (strcmp(job->input, "-") != 0 && stat(job->input, &in_st) == 0 &&
        in_st.st_dev == out_st.st_dev && in_st.st_ino == out_st.st_ino) {
        return cli_err_set(
            err, ESDK_ERR_IO, "destination and source cannot be the same (%s)", job->output);
    }
    if (S_ISDIR(out_st.st_mode)) {
        return cli_err_set(err, ESDK_ERR_IO, "%s is a directory", job->output);
    }
    switch (cfg->overwrite) {
        case CLI_OVERWRITE_ALLOW:
            *replace = true;
            return 0;
        case CLI_OVERWRITE_SKIP:
            cli_warn("%s exists: skipped (--no-overwrite)", job->output);
            return CLI_OUTPUT_SKIP;
        case CLI_OVERWRITE_ASK:
            *replace = ask(job->output);
            return *replace ? 0 : CLI_OUTPUT_SKIP;
        default:
            return cli_err_set(
                err,
                ESDK_ERR_IO,
                "%s exists; not overwritten (use --overwrite to replace it, "
                "--no-overwrite to skip it, or --interactive to be asked)",
                job->output);
    }
}
