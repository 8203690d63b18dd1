/* gf_record.h - the crash record's one owner of its format: every record
 * the runner reads (its own OUT at load, merge sources, replay, repro) and
 * every field posted to an inbox is checked against harness/record-schema.json
 * (embedded at build time): types, ranges, lengths, nested fields.
 *
 * A record that breaks a required field is not a record (named, skipped,
 * never loaded); an optional field that breaks its row is dropped from the
 * record in memory and named; fields the schema does not know are kept (a
 * newer gcfuzz's). Counts are integers in [0, 2^53], exact in JSON, and
 * sums of them saturate there instead of wrapping.
 */
#ifndef GF_RECORD_H
#define GF_RECORD_H

#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>

#include "gf_err.h"

#define GF_COUNT_MAX 9007199254740992ull /* 2^53 */

/* 0: rec fits (fields that did not were removed, their names and reasons
 * in dropped, "" when none); -1: a required field is missing or broken
 * (err names it). */
int gf_record_check(cJSON *rec, char *dropped, size_t cap, gf_err *err);

/* One field's value, as an inbox post or a command sets it: 0 if it fits
 * the schema's row of key; -1 (err names why) if not, or if the schema has
 * no such field. */
int gf_record_check_field(const char *key, const cJSON *value, gf_err *err);

/* a + b, saturating at GF_COUNT_MAX. */
uint64_t gf_count_add(uint64_t a, uint64_t b);

#endif
