/* test_native.c - release-build stacks: ELF symbols (static functions too),
 * C++ names demangled, the preloaded handler's report parsed, and module
 * files that are not what they claim refused without reading past them. */
#include "helpers.h"

#include <dlfcn.h>

#include "gf_native.h"

__attribute__((noinline)) static int a_static_function(int x) { return x * 3 + 1; }

static void elf_symtab_names_a_static_function(void **state) {
  (void)state;
  Dl_info d;
  assert_int_not_equal(dladdr((void *)a_static_function, &d), 0);
  assert_null(d.dli_sname); /* dladdr alone cannot name it */
  uint64_t off = (uint64_t)((uintptr_t)a_static_function - (uintptr_t)d.dli_fbase);
  char name[256];
  assert_int_equal(gf_elf_symbol("/proc/self/exe", off + 2, name, sizeof name), 0);
  assert_string_equal(name, "a_static_function");
  assert_int_equal(a_static_function(1), 4);
}

static void cxx_names_are_demangled(void **state) {
  (void)state;
  /* libstdc++'s own exported function, found through .dynsym and demangled. */
  void *h = dlopen("libstdc++.so.6", RTLD_NOW | RTLD_NOLOAD);
  void *fn = h ? dlsym(h, "_ZNSt9exceptionD1Ev") : NULL;
  Dl_info d;
  if (fn == NULL || !dladdr(fn, &d)) skip();
  char name[256];
  assert_int_equal(gf_elf_symbol(d.dli_fname, (uint64_t)((uintptr_t)fn - (uintptr_t)d.dli_fbase), name, sizeof name), 0);
  assert_string_equal(name, "std::exception::~exception()");
}

static void bad_modules_are_refused(void **state) {
  (void)state;
  char dir[PATH_MAX], path[PATH_MAX + 16], name[64];
  temp_dir(dir, sizeof dir);
  write_text(dir, "fake.node", "\x7f" "ELF\x02\x01\x01 truncated");
  snprintf(path, sizeof path, "%s/fake.node", dir);
  assert_int_equal(gf_elf_symbol(path, 0x10, name, sizeof name), -1);
  assert_int_equal(gf_elf_symbol("/nonexistent.node", 0x10, name, sizeof name), -1);
  assert_int_equal(gf_elf_symbol(dir, 0x10, name, sizeof name), -1); /* a directory */
}

static void report_lines_parse(void **state) {
  (void)state;
  gf_frame fr;
  assert_int_equal(gf_native_frame("==gcfuzz-crash== SIGSEGV", &fr), 0);
  assert_int_equal(gf_native_frame("    #4 0x18a7b40", &fr), 1); /* nothing known of it */
  assert_string_equal(fr.location, "");
  /* Not an addon module: its file is never opened; the exported hint stays. */
  assert_int_equal(gf_native_frame("    #3 0xc71349 (node+0x871349) _ZN4node5AbortEv", &fr), 1);
  assert_string_equal(fr.location, "node+0x871349");
  assert_string_equal(fr.func, "node::Abort()");
  assert_int_equal(gf_native_frame("    #2 0x7f00 (/nonexistent/addon.node+0x1260) ?", &fr), 1);
  assert_string_equal(fr.func, "");
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(elf_symtab_names_a_static_function),
      cmocka_unit_test(cxx_names_are_demangled),
      cmocka_unit_test(bad_modules_are_refused),
      cmocka_unit_test(report_lines_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
