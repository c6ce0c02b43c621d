# Writes what is made from the program's own command definitions, at build time: the bash and
# zsh completion scripts, and a manual page per command (with help2man, when it is installed).
#   cmake -DBINARY=… -DOUT=… -DINCLUDE=man/secondsight.h2m [-DHELP2MAN=…] -P cli_docs.cmake
file(MAKE_DIRECTORY "${OUT}/completion" "${OUT}/man" "${OUT}/wrappers")
foreach(shell bash zsh)
  if(shell STREQUAL "bash")
    set(file "${OUT}/completion/secondsight")
  else()
    set(file "${OUT}/completion/_secondsight")
  endif()
  execute_process(COMMAND "${BINARY}" completion ${shell} OUTPUT_FILE "${file}"
                  RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "secondsight completion ${shell} failed: ${failed}")
  endif()
endforeach()

if(NOT HELP2MAN)
  return()
endif()
# One page for the program, one per command: help2man reads --help and --version of a small
# script that runs the command.
execute_process(COMMAND "${BINARY}" completion commands OUTPUT_VARIABLE listing
                RESULT_VARIABLE failed)
if(failed)
  message(FATAL_ERROR "secondsight completion commands failed: ${failed}")
endif()
# A description may hold ";", which is CMake's list separator: kept aside while splitting.
string(REPLACE ";" "<semicolon>" listing "${listing}")
string(REPLACE "\n" ";" lines
       "secondsight\taccess and knowledge of seconded IT staff, against need-to-know and end dates\n${listing}")
# The version as the program gives it ("secondsight 0.1.0 (revision …)"), without the name: the
# pages are named after their command.
execute_process(COMMAND "${BINARY}" --version OUTPUT_VARIABLE version
                OUTPUT_STRIP_TRAILING_WHITESPACE)
string(REGEX REPLACE "^secondsight " "" version "${version}")
file(GLOB old "${OUT}/man/*.1")
if(old)
  file(REMOVE ${old})
endif()
foreach(line IN LISTS lines)
  if(line STREQUAL "")
    continue()
  endif()
  string(FIND "${line}" "\t" tab)
  string(SUBSTRING "${line}" 0 ${tab} words)
  math(EXPR after "${tab} + 1")
  string(SUBSTRING "${line}" ${after} -1 description)
  string(REPLACE "<semicolon>" ";" description "${description}")
  if(words STREQUAL "secondsight")
    set(name "secondsight")
    set(command "")
  else()
    string(REPLACE " " "-" page "${words}")
    set(name "secondsight-${page}")
    set(command "${words}")
  endif()
  file(WRITE "${OUT}/wrappers/${name}" "#!/bin/sh\nexec '${BINARY}' ${command} \"$@\"\n")
  file(CHMOD "${OUT}/wrappers/${name}" PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE)
  string(TOLOWER "${description}" description)
  execute_process(
    COMMAND "${HELP2MAN}" --no-info --no-discard-stderr --section=1 "--name=${description}"
            "--version-string=${name} ${version}"
            "--include=${INCLUDE}" "--output=${OUT}/man/${name}.1" "${OUT}/wrappers/${name}"
    RESULT_VARIABLE failed)
  if(failed)
    message(FATAL_ERROR "help2man for ${name} failed: ${failed}")
  endif()
endforeach()
