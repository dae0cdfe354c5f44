# Writes the example programs (NN_id.lua, in order) as C++ initialisers:
# {"NN_id", R"(text)"}, one per file. Run by the build (cmake -P).
file(GLOB files ${DIR}/*.lua)
list(SORT files)
set(out "")
foreach(f ${files})
  get_filename_component(name ${f} NAME_WE)
  file(READ ${f} text)
  string(APPEND out "{\"${name}\", R\"such_example(${text})such_example\"},\n")
endforeach()
file(WRITE ${OUT}.tmp "${out}")
file(COPY_FILE ${OUT}.tmp ${OUT} ONLY_IF_DIFFERENT)
