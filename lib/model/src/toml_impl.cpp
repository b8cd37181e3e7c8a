// The one translation unit that compiles toml++'s implementation into async_model, so the
// binary does not load libtomlplusplus.so at start-up. Everything else includes <async/toml.hpp>
// (toml++ with TOML_HEADER_ONLY=0, set by lib/CMakeLists.txt, and the checks that throw).
#define TOML_IMPLEMENTATION
#include <async/toml.hpp>
