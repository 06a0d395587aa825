/* merge.h - `smrbench merge -o OUT DIR...`: shards and machines of one plan into one set. */
#ifndef MERGE_H
#define MERGE_H

/* argv[0] is "merge". Returns the exit status (docs/merge.md). */
int cmd_merge(int argc, char **argv);

#endif /* MERGE_H */
