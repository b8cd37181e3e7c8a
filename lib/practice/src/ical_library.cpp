#include "ical_library.hpp"

#include <async/error.hpp>

#include <dlfcn.h>

#include <string>

namespace async {
namespace {

IcalLibrary load() {
    // ASYNC_LIBICAL_SONAME comes from the build (the major version pkg-config found).
    void* handle = ::dlopen(ASYNC_LIBICAL_SONAME, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = ::dlerror();
        throw Error{ErrorKind::environment, std::string{"cannot load " ASYNC_LIBICAL_SONAME ": "} + (why ? why : "unknown error"),
                    "install libical (Debian: apt-get install libical3)"};
    }
    IcalLibrary lib;
    // Never unloaded: the calendar's strings and components live until the process ends.
#define ASYNC_ICAL_RESOLVE(name)                                                                  \
    lib.name = reinterpret_cast<decltype(&::name)>(::dlsym(handle, #name));                     \
    if (lib.name == nullptr) {                                                                    \
        throw Error{ErrorKind::environment, "cannot load " ASYNC_LIBICAL_SONAME ": it has no " #name}; \
    }
    ASYNC_ICAL_FUNCTIONS(ASYNC_ICAL_RESOLVE)
#undef ASYNC_ICAL_RESOLVE
    return lib;
}

} // namespace

const IcalLibrary& ical() {
    static const IcalLibrary lib = load(); // a failed load throws, and the next call tries again
    return lib;
}

} // namespace async
