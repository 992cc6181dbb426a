/* Symbol visibility and attributes shared by every public header. */
#ifndef ESDK_EXPORT_H
#define ESDK_EXPORT_H

#if defined(ESDK_BUILDING)
#    define ESDK_API __attribute__((visibility("default")))
#else
#    define ESDK_API
#endif

/* A status that is dropped is a bug: the compiler says so. */
#define ESDK_MUST_USE __attribute__((warn_unused_result))

#endif
