/* export.h — SF_API marks the functions the shared library exports. The library is built
 * with -fvisibility=hidden, so only what a public header declares with SF_API is visible
 * to programs linking libseedflow (`nm -D --defined-only` lists exactly those). */
#ifndef SEEDFLOW_EXPORT_H
#define SEEDFLOW_EXPORT_H

#if defined(__GNUC__) || defined(__clang__)
#define SF_API __attribute__((visibility("default")))
#else
#define SF_API
#endif

#endif
