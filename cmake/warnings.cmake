# async_warnings: the warning set every target links (INTERFACE).
add_library(async_warnings INTERFACE)
target_compile_options(async_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
  $<$<BOOL:${ASYNC_WERROR}>:-Werror>)
target_compile_definitions(async_warnings INTERFACE $<$<CONFIG:Debug>:_GLIBCXX_ASSERTIONS>)
