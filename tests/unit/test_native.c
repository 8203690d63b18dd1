/* test_native.c - release-build stacks: ELF symbols (static functions too),
 * C++ names demangled, the preloaded handler's report parsed, and module
 * files that are not what they claim refused without reading past them. */
#include "helpers.h"

#include <dlfcn.h>
#include <elf.h>
#include <stddef.h>
#include <sys/stat.h>

#include "gf_native.h"

__attribute__((noinline)) static int a_static_function(int x) { return x * 3 + 1; }

static void elf_symtab_names_a_static_function(void **state) {
  (void)state;
  Dl_info d;
  assert_int_not_equal(dladdr((void *)a_static_function, &d), 0);
  assert_null(d.dli_sname); /* dladdr alone cannot name it */
  uint64_t off = (uint64_t)((uintptr_t)a_static_function - (uintptr_t)d.dli_fbase);
  char name[256];
  assert_int_equal(gf_elf_symbol("/proc/self/exe", off + 2, 0, name, sizeof name, NULL), 0);
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
  assert_int_equal(gf_elf_symbol(d.dli_fname, (uint64_t)((uintptr_t)fn - (uintptr_t)d.dli_fbase), 0, name, sizeof name, NULL), 0);
  assert_string_equal(name, "std::exception::~exception()");
}

static void bad_modules_are_refused(void **state) {
  (void)state;
  char dir[PATH_MAX], path[PATH_MAX + 16], name[64];
  temp_dir(dir, sizeof dir);
  write_text(dir, "fake.node", "\x7f" "ELF\x02\x01\x01 truncated");
  snprintf(path, sizeof path, "%s/fake.node", dir);
  assert_int_equal(gf_elf_symbol(path, 0x10, 0, name, sizeof name, NULL), -1);
  assert_int_equal(gf_elf_symbol("/nonexistent.node", 0x10, 0, name, sizeof name, NULL), -1);
  assert_int_equal(gf_elf_symbol(dir, 0x10, 0, name, sizeof name, NULL), -1); /* a directory */
}

/* An ELF header (64-bit, little-endian, ET_DYN) with the section table at
 * shoff, shnum entries, written to dir/name; extra bytes of zeros after. */
static void write_elf(const char *path, uint64_t shoff, uint16_t shnum, const Elf64_Shdr *sh,
                      size_t nsh, size_t pad) {
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  Elf64_Ehdr eh;
  memset(&eh, 0, sizeof eh);
  memcpy(eh.e_ident, ELFMAG, SELFMAG);
  eh.e_ident[EI_CLASS] = ELFCLASS64;
  eh.e_ident[EI_DATA] = ELFDATA2LSB;
  eh.e_type = ET_DYN;
  eh.e_shoff = shoff;
  eh.e_shnum = shnum;
  eh.e_shentsize = sizeof(Elf64_Shdr);
  fwrite(&eh, sizeof eh, 1, f);
  if (nsh) fwrite(sh, sizeof *sh, nsh, f);
  for (size_t i = 0; i < pad; i++) fputc(0, f);
  fclose(f);
}

/* A worker's stderr names the module: hostile files of every kind (#22).
 * 0.5.0 blocked in open() on a FIFO, died of SIGBUS/SIGSEGV on offsets
 * whose sum wraps, spent ~18 s per frame on 65 535 symbol tables, and
 * mapped a 4 GiB sparse file. Each is refused or bounded now. */
static void hostile_modules_are_bounded(void **state) {
  (void)state;
  char dir[PATH_MAX], path[PATH_MAX + 32], name[64];
  gf_elf_work work;
  temp_dir(dir, sizeof dir);
  alarm(60); /* a blocking open() fails the test instead of hanging it */
  snprintf(path, sizeof path, "%s/fifo.node", dir);
  assert_int_equal(mkfifo(path, 0600), 0);
  assert_int_equal(gf_elf_symbol(path, 0x10, 0, name, sizeof name, NULL), -1);
  /* Section offsets and sizes whose sums wrap 2^64. */
  Elf64_Shdr sh[2];
  memset(sh, 0, sizeof sh);
  sh[0].sh_type = SHT_SYMTAB;
  sh[0].sh_entsize = sizeof(Elf64_Sym);
  sh[0].sh_offset = UINT64_MAX - 8;
  sh[0].sh_size = 64;
  sh[0].sh_link = 1;
  sh[1].sh_offset = 16;
  sh[1].sh_size = UINT64_MAX - 15;
  snprintf(path, sizeof path, "%s/wrap.node", dir);
  write_elf(path, sizeof(Elf64_Ehdr), 2, sh, 2, 64);
  assert_int_equal(gf_elf_symbol(path, 0x10, 0, name, sizeof name, NULL), -1);
  snprintf(path, sizeof path, "%s/wrap_shoff.node", dir);
  write_elf(path, UINT64_MAX - 32, 2, sh, 0, 64);
  assert_int_equal(gf_elf_symbol(path, 0x10, 0, name, sizeof name, NULL), -1);
  /* 65 535 symbol tables, each over the same 8 Ki symbols: bounded work. */
  enum { NSEC = 65535, NSYM = 8192 };
  Elf64_Shdr *many = calloc(NSEC, sizeof *many);
  uint64_t syms = sizeof(Elf64_Ehdr) + (uint64_t)NSEC * sizeof(Elf64_Shdr);
  for (unsigned i = 0; i < NSEC; i++) {
    many[i].sh_type = SHT_SYMTAB;
    many[i].sh_entsize = sizeof(Elf64_Sym);
    many[i].sh_offset = syms;
    many[i].sh_size = NSYM * sizeof(Elf64_Sym);
    many[i].sh_link = 0; /* its strings: the first table's bytes */
  }
  snprintf(path, sizeof path, "%s/many.node", dir);
  write_elf(path, sizeof(Elf64_Ehdr), NSEC, many, NSEC, NSYM * sizeof(Elf64_Sym));
  free(many);
  assert_int_equal(gf_elf_symbol(path, 0x10, 0, name, sizeof name, &work), -1);
  assert_true(work.tables <= 8); /* 4 per type */
  assert_true(work.symbols <= 8 * NSYM);
  /* A 4 GiB sparse file: refused before any mapping. */
  snprintf(path, sizeof path, "%s/sparse.node", dir);
  write_elf(path, sizeof(Elf64_Ehdr), 0, NULL, 0, 0);
  assert_int_equal(truncate(path, 4ll << 30), 0);
  assert_int_equal(gf_elf_symbol(path, 0x10, 0, name, sizeof name, &work), -1);
  assert_int_equal(work.tables, 0);
  alarm(0);
}

/* A well-formed module whose one function, decoy_fn, is at 0x1000. */
static void write_decoy(const char *path) {
  struct {
    Elf64_Ehdr eh;
    Elf64_Shdr sh[3];
    Elf64_Sym sym[2];
    char strs[16];
  } m;
  memset(&m, 0, sizeof m);
  memcpy(m.eh.e_ident, ELFMAG, SELFMAG);
  m.eh.e_ident[EI_CLASS] = ELFCLASS64;
  m.eh.e_type = ET_DYN;
  m.eh.e_shoff = offsetof(__typeof__(m), sh);
  m.eh.e_shnum = 3;
  m.eh.e_shentsize = sizeof(Elf64_Shdr);
  m.sh[1] = (Elf64_Shdr){.sh_type = SHT_SYMTAB, .sh_offset = offsetof(__typeof__(m), sym),
                         .sh_size = sizeof m.sym, .sh_link = 2, .sh_entsize = sizeof(Elf64_Sym)};
  m.sh[2] = (Elf64_Shdr){.sh_type = SHT_STRTAB, .sh_offset = offsetof(__typeof__(m), strs), .sh_size = sizeof m.strs};
  m.sym[1] = (Elf64_Sym){.st_name = 1, .st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC), .st_value = 0x1000, .st_size = 0x100};
  strcpy(m.strs + 1, "decoy_fn");
  FILE *f = fopen(path, "wb");
  assert_non_null(f);
  fwrite(&m, sizeof m, 1, f);
  fclose(f);
}

/* A stack of n frames, each at 0x1010 of module. */
static void stack_of(gf_stack *st, int n, const char *module) {
  memset(st, 0, sizeof *st);
  st->n = n;
  for (int i = 0; i < n; i++)
    assert_true(snprintf(st->f[i].location, sizeof st->f[i].location, "%s+0x1010", module) <
                (int)sizeof st->f[i].location);
}

/* A module is read only under the target's, harness's or build's paths
 * (#22): a file named from anywhere else, or reached through a link out of
 * them, is never opened. */
static void modules_are_read_only_under_the_roots(void **state) {
  (void)state;
  char in[PATH_MAX], out[PATH_MAX], decoy[PATH_MAX + 16], link[PATH_MAX + 16], target[PATH_MAX + 16];
  gf_stack st;
  gf_elf_work work;
  temp_dir(in, sizeof in);
  temp_dir(out, sizeof out);
  snprintf(decoy, sizeof decoy, "%s/decoy.node", out);
  snprintf(link, sizeof link, "%s/link.node", in);
  snprintf(target, sizeof target, "%s/target.js", in);
  write_decoy(decoy);
  assert_int_equal(symlink(decoy, link), 0);
  const char *roots[] = {target, "release", NULL}; /* the target's directory; a build name is no path */
  const char *wide[] = {out, NULL};
  stack_of(&st, 1, decoy);
  gf_native_symbolize(&st, roots, GF_NATIVE_BUDGET_NS, &work);
  assert_string_equal(st.f[0].func, "");
  assert_int_equal(work.modules, 0);
  stack_of(&st, 1, link);
  gf_native_symbolize(&st, roots, GF_NATIVE_BUDGET_NS, &work);
  assert_int_equal(work.modules, 0);
  stack_of(&st, 1, decoy);
  gf_native_symbolize(&st, wide, GF_NATIVE_BUDGET_NS, &work);
  assert_string_equal(st.f[0].func, "decoy_fn");
  stack_of(&st, 1, decoy);
  gf_native_symbolize(&st, NULL, GF_NATIVE_BUDGET_NS, &work); /* no roots: nothing is read */
  assert_int_equal(work.modules, 0);
}

/* One crash's work is bounded: the frames a stack holds, each bounded
 * (hostile_modules_are_bounded), and a deadline for all of them, looked
 * at every 64 Ki symbols too. */
static void a_crash_has_a_budget(void **state) {
  (void)state;
  char dir[PATH_MAX], path[PATH_MAX + 16], name[64];
  gf_stack st;
  gf_elf_work work;
  temp_dir(dir, sizeof dir);
  snprintf(path, sizeof path, "%s/big.node", dir);
  Elf64_Shdr sh = {.sh_type = SHT_SYMTAB, .sh_offset = 4096, .sh_size = (1u << 20) * sizeof(Elf64_Sym),
                   .sh_entsize = sizeof(Elf64_Sym)};
  write_elf(path, sizeof(Elf64_Ehdr), 1, &sh, 1, 0);
  assert_int_equal(truncate(path, 4096 + (1 << 20) * (off_t)sizeof(Elf64_Sym)), 0);
  assert_int_equal(gf_elf_symbol(path, 0x10, 1, name, sizeof name, &work), -1); /* a deadline gone */
  assert_true(work.symbols <= 0x10000);
  const char *roots[] = {dir, NULL};
  stack_of(&st, GF_MAX_FRAMES, path);
  gf_native_symbolize(&st, roots, 0, &work); /* no time at all: nothing opened */
  assert_int_equal(work.modules, 0);
  gf_native_symbolize(&st, roots, 60ull * 1000000000, &work);
  assert_int_equal(work.modules, GF_MAX_FRAMES); /* with time: every frame, no more */
  assert_true(work.symbols <= (uint64_t)GF_MAX_FRAMES << 20);
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
      cmocka_unit_test(hostile_modules_are_bounded),
      cmocka_unit_test(modules_are_read_only_under_the_roots),
      cmocka_unit_test(a_crash_has_a_budget),
      cmocka_unit_test(report_lines_parse),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
