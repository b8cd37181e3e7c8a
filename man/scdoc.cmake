# Builds one man page: scdoc INPUT > OUTPUT, portably (no shell redirection), then drops the
# empty paragraph macros scdoc 1.11 emits (".P" right after .TH/.SH/.SS, before .SH/.SS/.RE/.P
# or at the end), which `mandoc -Tlint -W warning` reports as "skipping paragraph macro".
# Usage: cmake -DSCDOC=/usr/bin/scdoc -DINPUT=page.1.scd -DOUTPUT=page.1 -P scdoc.cmake
foreach(var SCDOC INPUT OUTPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "scdoc.cmake: ${var} is not set")
  endif()
endforeach()

execute_process(COMMAND ${SCDOC}
                INPUT_FILE ${INPUT}
                OUTPUT_VARIABLE roff
                ERROR_VARIABLE errors
                RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "scdoc failed on ${INPUT}: ${errors}")
endif()

set(previous "")
while(NOT previous STREQUAL roff)
  set(previous "${roff}")
  string(REGEX REPLACE "\n\\.P\n(\\.(SH|SS|RE|P)[ \n])" "\n\\1" roff "${roff}")
  string(REGEX REPLACE "\n(\\.(TH|SH|SS)[^\n]*)\n\\.P\n" "\n\\1\n" roff "${roff}")
  string(REGEX REPLACE "\n\\.P\n$" "\n" roff "${roff}")
endwhile()

file(WRITE ${OUTPUT}.tmp "${roff}")
file(RENAME ${OUTPUT}.tmp ${OUTPUT})
