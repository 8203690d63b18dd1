# Four builds of one addon (plain C):
#   gcfuzz_addon           release, Node-API 8
#   gcfuzz_addon_asan      AddressSanitizer; Node must be started with the
#                          compiler's libasan in LD_PRELOAD (doc/addon.md)
#   gcfuzz_addon_exp       NAPI_EXPERIMENTAL: on Node >= 20.10 wrap finalizers
#                          run inside the GC rather than in the next immediate
#   gcfuzz_addon_exp_asan  both
{
  "target_defaults": {
    "sources": ["src/core.c", "src/addon.c", "src/elem_class.c", "src/job.c",
                "src/entries.c", "src/zoo.c", "src/pool.c",
                "src/shared.c", "src/batch.c"],
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
    {
      "target_name": "gcfuzz_addon_exp",
      "defines": ["GF_BUILD_NAME=\"exp\"", "NAPI_EXPERIMENTAL"],
    },
    {
      "target_name": "gcfuzz_addon_exp_asan",
      "defines": ["GF_BUILD_NAME=\"exp_asan\"", "NAPI_EXPERIMENTAL"],
      "cflags_c": ["-fsanitize=address", "-fno-omit-frame-pointer", "-g", "-O1"],
      "ldflags": ["-fsanitize=address"],
    },
  ],
}
