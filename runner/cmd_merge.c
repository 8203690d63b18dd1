/* cmd_merge.c - `gcfuzz merge --out DEST SRC...`: output folders of several
 * machines into one (gf_merge.h). Safe to run again and again. */
#include <stdio.h>

#include "gf_bugs.h"
#include "gf_cli.h"
#include "gf_merge.h"

static const char usage[] =
    "usage: gcfuzz merge --out DEST SRC...\n"
    "Merges each SRC output folder into DEST (created if missing): bucket union, counts\n"
    "summed once per origin (running it again adds nothing), first/last seen, the best\n"
    "reproducibility, corpus and feature union. DEST is locked while it is written; a SRC\n"
    "may be a folder a soak is still writing.\n"
    "Exit: 0 merged, 2 usage error, DEST held by another gcfuzz, or a SRC unreadable.\n";

int gf_cmd_merge(int argc, char **argv) {
  gf_cli cli;
  int rc = gf_cli_parse(&cli, "merge", argc, argv, "o", usage);
  if (rc) return rc < 0 ? GF_EXIT_OK : rc;
  if (!cli.out || cli.npaths < 1) {
    fprintf(stderr, "gcfuzz merge: --out DEST and at least one SRC expected\n%s", usage);
    return GF_EXIT_USAGE;
  }
  gf_store dst;
  gf_err err = {{0}};
  if (gf_store_open(&dst, cli.out, GF_STORE_WRITE, &err) != 0) {
    fprintf(stderr, "gcfuzz merge: %s\n", err.msg);
    return GF_EXIT_USAGE;
  }
  gf_merge_result r = {0};
  int failed = 0;
  for (int i = 0; i < cli.npaths; i++) {
    if (gf_merge(&dst, cli.paths[i], &r, &err) != 0) {
      fprintf(stderr, "gcfuzz merge: %s\n", err.msg);
      failed = 1;
    }
  }
  if (gf_bugs_link_all(&dst, &err) < 0) fprintf(stderr, "gcfuzz merge: %s\n", err.msg);
  size_t left = gf_store_flush(&dst, NULL);
  fprintf(stderr, "gcfuzz merge: %d source(s) into %s: %u new bucket(s), %u updated, %llu "
                  "occurrence(s) added, %u corpus case(s), %u feature(s); %u unreadable file(s)%s\n",
          cli.npaths, cli.out, r.new_buckets, r.updated_buckets, (unsigned long long)r.count_added,
          r.corpus_added, r.features_added, r.unreadable, left ? "; some records not written" : "");
  printf("{\"sources\":%d,\"buckets\":%zu,\"bugs\":%zu,\"new_buckets\":%u,\"updated_buckets\":%u,"
         "\"count_added\":%llu,\"corpus_added\":%u,\"features_added\":%u,\"unreadable\":%u}\n",
         cli.npaths, dst.n, gf_bugs_count(&dst), r.new_buckets, r.updated_buckets, (unsigned long long)r.count_added,
         r.corpus_added, r.features_added, r.unreadable);
  gf_store_close(&dst);
  return failed || left ? GF_EXIT_USAGE : GF_EXIT_OK;
}
