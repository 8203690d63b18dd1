# Two builds of one addon (Plain C, Node-API 8):
#   gcfuzz_addon       release
#   gcfuzz_addon_asan  AddressSanitizer; Node must be started with the
#                      compiler's libasan in LD_PRELOAD (see README).
{
  "target_defaults": {
    "sources": ["src/core.c", "src/addon.c", "src/elem_class.c", "src/entries.c"],
    "cflags_c": ["-std=c11", "-Wall", "-Wextra", "-D_POSIX_C_SOURCE=200809L"],
  },
  "targets": [
    {
      "target_name": "gcfuzz_addon",
      "defines": ["GF_BUILD_NAME=\"release\""],
    },
    {
      "target_name": "gcfuzz_addon_asan",
      "defines": ["GF_BUILD_NAME=\"asan\""],
      "cflags_c": ["-fsanitize=address", "-fno-omit-frame-pointer", "-g", "-O1"],
      "ldflags": ["-fsanitize=address"],
    },
  ],
}
