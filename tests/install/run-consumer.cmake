# Driven by CTest: install, then build and run a consumer against the installed package only.
# -DCONSUMER_EXE=<name> (default consumer) and -DCONSUMER_ARGS=<args relative to the prefix> pick what runs.
# Shared by install_consumer (Core), install_redis, install_postgres and install_qml (Qml).
file(REMOVE_RECURSE ${WORK_DIR})
function(run)
    execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "failed (${rc}): ${ARGN}\n${out}\n${err}")
    endif()
    message("${out}")
endfunction()
run(${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix)
run(${CMAKE_COMMAND} -S ${CONSUMER_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix -DCMAKE_BUILD_TYPE=Release)
run(${CMAKE_COMMAND} --build ${WORK_DIR}/build)
if(NOT CONSUMER_EXE)
    set(CONSUMER_EXE consumer)
endif()
set(_args)
foreach(_a ${CONSUMER_ARGS})
    list(APPEND _args ${WORK_DIR}/prefix/${_a})
endforeach()
run(${WORK_DIR}/build/${CONSUMER_EXE} ${_args})
