// The one translation unit that compiles toml++'s implementation into async_core, so the
// binary does not load libtomlplusplus.so at start-up. Everything else includes
// <toml++/toml.h> with TOML_HEADER_ONLY=0 (set by lib/CMakeLists.txt) and links to this.
#define TOML_IMPLEMENTATION
#include <toml++/toml.h>
