#include <async/error.hpp>
#include <async/md4c_input.hpp>

#include <dlfcn.h>

#include <string>

namespace async {
namespace {

// Never unloaded: a loaded library stays until the process ends.
void* resolve(const char* soname, const char* symbol) {
    void* handle = ::dlopen(soname, RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
        const char* why = ::dlerror();
        throw Error{ErrorKind::environment, std::string{"cannot load "} + soname + ": " + (why ? why : "unknown error"),
                    "install md4c (Debian: apt-get install libmd4c0 libmd4c-html0)"};
    }
    void* function = ::dlsym(handle, symbol);
    if (function == nullptr) {
        throw Error{ErrorKind::environment, std::string{"cannot load "} + soname + ": it has no " + symbol};
    }
    return function;
}

template <typename F> F* load(const char* soname, const char* symbol) {
    return reinterpret_cast<F*>(resolve(soname, symbol));
}

} // namespace

int md4c_parse(const Md4cInput& input, const MD_PARSER& parser, void* userdata) {
    // A failed load throws, and the next call tries again.
    static auto* const parse = load<decltype(::md_parse)>(ASYNC_MD4C_SONAME, "md_parse");
    return parse(input.data(), input.size(), &parser, userdata);
}

int md4c_html(const Md4cInput& input, void (*process_output)(const MD_CHAR*, MD_SIZE, void*), void* userdata,
              unsigned parser_flags, unsigned renderer_flags) {
    static auto* const html = load<decltype(::md_html)>(ASYNC_MD4C_HTML_SONAME, "md_html");
    return html(input.data(), input.size(), process_output, userdata, parser_flags, renderer_flags);
}

} // namespace async
