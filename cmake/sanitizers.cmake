# async_sanitizers: ASan + UBSan when ASYNC_SANITIZE is on (INTERFACE, every target links it).
add_library(async_sanitizers INTERFACE)
if(ASYNC_SANITIZE)
  target_compile_options(async_sanitizers INTERFACE
    -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_link_options(async_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
