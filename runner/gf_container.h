/* gf_container.h - container_of: from a pointer to a member back to the
 * struct that holds it (libuv's handles carry the member, we want ours),
 * instead of casts that need the member to stay first. */
#ifndef GF_CONTAINER_H
#define GF_CONTAINER_H

#include <stddef.h>

#define container_of(ptr, type, member) ((type *)((char *)(ptr) - offsetof(type, member)))

#endif
