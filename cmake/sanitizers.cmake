# async_sanitizers: ASan + UBSan when ASYNC_SANITIZE is on (INTERFACE, every target links it),
# plus libFuzzer's coverage instrumentation when ASYNC_FUZZ is on (clang++ only).
add_library(async_sanitizers INTERFACE)
if(ASYNC_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "ASYNC_FUZZ needs clang++ (libFuzzer): -DCMAKE_CXX_COMPILER=clang++")
  endif()
  set(ASYNC_SANITIZE ON)
  target_compile_options(async_sanitizers INTERFACE -fsanitize=fuzzer-no-link)
endif()
if(ASYNC_SANITIZE)
  target_compile_options(async_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(async_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
