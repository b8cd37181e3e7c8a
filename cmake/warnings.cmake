# async_warnings: the warning set every target links (INTERFACE).
add_library(async_warnings INTERFACE)
target_compile_options(async_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  # g++ 12 reports -Wrestrict false positives inside libstdc++'s std::string at -O2
  # (GCC bug 105329); they are not about our code and break -Werror builds.
  $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>
  $<$<BOOL:${ASYNC_WERROR}>:-Werror>)
target_compile_definitions(async_warnings INTERFACE $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
