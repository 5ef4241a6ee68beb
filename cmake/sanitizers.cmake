# ASan + UBSan for the whole build when PATROL_SANITIZE is on; UB aborts instead of warning.
if(PATROL_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
