/* gf_native.c - see gf_native.h. */
#include "gf_native.h"

#include <ctype.h>
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gf_err.h"

/* libstdc++'s demangler (the daemon links it for this one call). */
extern char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

static void demangle_into(const char *name, char *out, size_t cap) {
  int status = -1;
  char *d = strncmp(name, "_Z", 2) == 0 ? __cxa_demangle(name, NULL, NULL, &status) : NULL;
  gf_strlcpy(out, status == 0 && d ? d : name, cap);
  free(d);
}

/* A module file is untrusted: the bounds every read stays in, and how
 * much work one lookup may do (65 535 symbol tables over one big table
 * took 18 s of the event loop per frame). */
#define MAX_MODULE_BYTES (512ull << 20)
#define MAX_SYMTABS 4            /* of each type, in section order */
#define MAX_SYMBOLS (1ull << 22) /* looked at per lookup */
#define CLOCK_EVERY 0x3fff        /* symbols between looks at the deadline */
#define MAX_ROOTS 8

uint64_t gf_native_now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* [off, off + len) lies within [0, size), with no sum that can wrap. */
static int within(uint64_t off, uint64_t len, uint64_t size) { return off <= size && len <= size - off; }

/* The section header i of a mapped ELF file, or NULL when out of bounds. */
static const Elf64_Shdr *section(const unsigned char *m, size_t size, const Elf64_Ehdr *eh,
                                 unsigned i) {
  if (i >= eh->e_shnum || eh->e_shentsize != sizeof(Elf64_Shdr) ||
      !within(eh->e_shoff, ((uint64_t)i + 1) * sizeof(Elf64_Shdr), size))
    return NULL;
  return (const Elf64_Shdr *)(m + eh->e_shoff + (uint64_t)i * sizeof(Elf64_Shdr));
}

/* The lowest PT_LOAD address: what the load base maps to (0 for a shared
 * object, e.g. 0x400000 for a non-PIE executable). */
static uint64_t load_vaddr(const unsigned char *m, size_t size, const Elf64_Ehdr *eh) {
  uint64_t low = UINT64_MAX;
  for (unsigned i = 0; i < eh->e_phnum; i++) {
    if (eh->e_phentsize != sizeof(Elf64_Phdr) ||
        !within(eh->e_phoff, ((uint64_t)i + 1) * sizeof(Elf64_Phdr), size))
      break;
    const Elf64_Phdr *ph = (const Elf64_Phdr *)(m + eh->e_phoff + (uint64_t)i * sizeof(Elf64_Phdr));
    if (ph->p_type == PT_LOAD && ph->p_vaddr - ph->p_offset < low) low = ph->p_vaddr - ph->p_offset;
  }
  return low == UINT64_MAX ? 0 : low;
}

/* The function symbol of one symbol table that contains addr. */
static const char *lookup(const unsigned char *m, size_t size, const Elf64_Ehdr *eh,
                          uint32_t type, uint64_t addr, uint64_t deadline, gf_elf_work *work) {
  unsigned tables = 0;
  for (unsigned i = 0; i < eh->e_shnum && tables < MAX_SYMTABS; i++) {
    const Elf64_Shdr *sh = section(m, size, eh, i);
    if (sh == NULL || sh->sh_type != type || sh->sh_entsize != sizeof(Elf64_Sym)) continue;
    tables++;
    work->tables++;
    const Elf64_Shdr *strs = section(m, size, eh, sh->sh_link);
    if (strs == NULL || !within(sh->sh_offset, sh->sh_size, size) ||
        !within(strs->sh_offset, strs->sh_size, size) || sh->sh_offset % 8 != 0)
      return NULL;
    const Elf64_Sym *sym = (const Elf64_Sym *)(m + sh->sh_offset);
    for (uint64_t k = 0; k < sh->sh_size / sizeof *sym; k++) {
      if (++work->symbols > MAX_SYMBOLS) return NULL;
      if ((work->symbols & CLOCK_EVERY) == 0 && deadline && gf_native_now_ns() >= deadline) return NULL;
      if (ELF64_ST_TYPE(sym[k].st_info) != STT_FUNC || sym[k].st_value == 0) continue;
      uint64_t lo = sym[k].st_value, hi = lo + (sym[k].st_size ? sym[k].st_size : 1);
      if (addr < lo || addr >= hi || sym[k].st_name >= strs->sh_size) continue;
      const char *name = (const char *)m + strs->sh_offset + sym[k].st_name;
      if (memchr(name, '\0', strs->sh_size - sym[k].st_name)) return name;
    }
  }
  return NULL;
}

int gf_elf_symbol(const char *module, uint64_t off, uint64_t deadline_ns, char *out, size_t cap,
                  gf_elf_work *work) {
  gf_elf_work scratch;
  if (work == NULL) work = &scratch;
  memset(work, 0, sizeof *work);
  /* O_NONBLOCK: a FIFO named like a module must not hold the daemon in
   * open(); then only a regular file of a module's size is read. */
  int fd = open(module, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  struct stat st;
  if (fd < 0) return -1;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size < sizeof(Elf64_Ehdr) ||
      (uint64_t)st.st_size > MAX_MODULE_BYTES) {
    close(fd);
    return -1;
  }
  size_t size = (size_t)st.st_size;
  const unsigned char *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
  close(fd);
  if (m == MAP_FAILED) return -1;
  const Elf64_Ehdr *eh = (const Elf64_Ehdr *)m;
  const char *name = NULL;
  if (memcmp(eh->e_ident, ELFMAG, SELFMAG) == 0 && eh->e_ident[EI_CLASS] == ELFCLASS64) {
    uint64_t addr = off + load_vaddr(m, size, eh);
    name = lookup(m, size, eh, SHT_SYMTAB, addr, deadline_ns, work);
    if (name == NULL) name = lookup(m, size, eh, SHT_DYNSYM, addr, deadline_ns, work);
  }
  if (name) demangle_into(name, out, cap);
  munmap((void *)m, size);
  return name ? 0 : -1;
}

/* Whether the line at p is the end line "==gcfuzz-crash== end KEY". */
static int is_end_with(const char *p, const char *key) {
  static const char end[] = GF_NATIVE_MARK "end ";
  size_t n = strlen(key);
  return strncmp(p, end, sizeof end - 1) == 0 && strncmp(p + sizeof end - 1, key, n) == 0 &&
         (p[sizeof end - 1 + n] == '\n' || p[sizeof end - 1 + n] == '\0');
}

static int is_frame_line(const char *p) {
  while (*p == ' ') p++;
  return p[0] == '#' && isdigit((unsigned char)p[1]);
}

const char *gf_native_report(const char *text, const char *key) {
  if (key == NULL || key[0] == '\0') return NULL;
  for (const char *p = strstr(text, GF_NATIVE_MARK); p; p = strstr(p, GF_NATIVE_MARK)) {
    const char *line = p;
    p += strlen(GF_NATIVE_MARK);
    if (line != text && line[-1] != '\n') continue; /* a mark inside another line */
    const char *frames = strchr(line, '\n');
    if (frames == NULL) return NULL;
    const char *q = ++frames;
    while (is_frame_line(q) && (q = strchr(q, '\n')) != NULL) q++;
    if (q && is_end_with(q, key)) return frames;
  }
  return NULL;
}

int gf_native_frame(const char *line, gf_frame *fr) {
  while (*line == ' ') line++;
  if (!is_frame_line(line)) return 0;
  memset(fr, 0, sizeof *fr);
  const char *open = strchr(line, '(');
  const char *close = open ? strstr(open, ") ") : NULL;
  if (open == NULL || close == NULL) return 1; /* an address dladdr knew nothing of */
  size_t n = (size_t)(close - open - 1);
  if (n >= sizeof fr->location) n = sizeof fr->location - 1;
  memcpy(fr->location, open + 1, n);
  fr->location[n] = '\0';
  const char *hint = close + 2; /* dladdr's nearest exported symbol: better than nothing */
  if (strcmp(hint, "?") != 0) demangle_into(hint, fr->func, sizeof fr->func);
  return 1;
}

/* roots' directories, real paths, into dirs: a file's directory, a
 * directory itself; relative paths (a build name) and missing ones left
 * out. Returns how many. */
static int root_dirs(const char *const *roots, char dirs[][PATH_MAX], int max) {
  int n = 0;
  struct stat st;
  for (; roots && *roots && n < max; roots++) {
    if ((*roots)[0] != '/' || realpath(*roots, dirs[n]) == NULL || stat(dirs[n], &st) != 0) continue;
    char *slash = strrchr(dirs[n], '/');
    if (!S_ISDIR(st.st_mode)) slash[slash == dirs[n] ? 1 : 0] = '\0';
    n++;
  }
  return n;
}

/* Whether module is an addon (*.node) whose real path is under one of dirs. */
static int readable_module(const char *module, char dirs[][PATH_MAX], int n) {
  char real[PATH_MAX];
  size_t ml = strlen(module);
  if (module[0] != '/' || ml <= 5 || strcmp(module + ml - 5, ".node") != 0 || realpath(module, real) == NULL)
    return 0;
  for (int i = 0; i < n; i++) {
    size_t dl = strlen(dirs[i]);
    if (strcmp(dirs[i], "/") == 0 || (strncmp(real, dirs[i], dl) == 0 && real[dl] == '/')) return 1;
  }
  return 0;
}

void gf_native_symbolize(gf_stack *st, const char *const *roots, uint64_t budget_ns, gf_elf_work *work) {
  gf_elf_work scratch, one;
  char dirs[MAX_ROOTS][PATH_MAX];
  if (work == NULL) work = &scratch;
  memset(work, 0, sizeof *work);
  int ndirs = root_dirs(roots, dirs, MAX_ROOTS);
  uint64_t deadline = gf_native_now_ns() + budget_ns;
  for (int i = 0; i < st->n && ndirs > 0 && gf_native_now_ns() < deadline; i++) {
    gf_frame *fr = &st->f[i];
    char module[sizeof fr->location];
    gf_strlcpy(module, fr->location, sizeof module);
    char *plus = strrchr(module, '+');
    if (plus == NULL) continue;
    *plus = '\0';
    if (!readable_module(module, dirs, ndirs)) continue;
    work->modules++;
    gf_elf_symbol(module, strtoull(plus + 1, NULL, 16), deadline, fr->func, sizeof fr->func, &one);
    work->tables += one.tables;
    work->symbols += one.symbols;
  }
}
