/* esdk_set_error: the public way for application plug-ins (keyrings, CMMs, caches) to leave
 * a detail sentence, as the library's own code does with esdk_fail. */
#include <stdarg.h>
#include <stdio.h>

#include <aws-esdk-c/error.h>

#include "common/status.h"

/* last: poisons calls this library must not make */
#include "banned.h"

int esdk_set_error(int code, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt ? fmt : "", ap);
    va_end(ap);
    return esdk_fail(code, "%s", text);
}
