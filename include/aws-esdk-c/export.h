/**
 * @file export.h
 * Symbol visibility and attributes shared by every public header. Nothing here needs to be
 * used directly by an application.
 */
#ifndef ESDK_EXPORT_H
#define ESDK_EXPORT_H

#if defined(ESDK_BUILDING)
/** Marks a public function: exported from the shared library (all other symbols are hidden). */
#    define ESDK_API __attribute__((visibility("default")))
#else
/** Marks a public function: exported from the shared library (all other symbols are hidden). */
#    define ESDK_API
#endif

/**
 * Marks a function whose result must be used (GCC and Clang warn when it is dropped): a status
 * that is ignored is a bug, and so is an ignored result that carries ownership.
 */
#define ESDK_MUST_USE __attribute__((warn_unused_result))

#endif
