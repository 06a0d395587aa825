/* folder.h - folders of results on disk: made with their parents, synced
   so that a rename in them survives a power cut, removed whole. */
#ifndef FOLDER_H
#define FOLDER_H

#include <stdbool.h>

/* mkdir -p: path and every missing parent; true when it is a folder now
   (errno set otherwise). */
bool folder_make(const char *path);
/* fsync the folder itself, so the names renamed into it are durable. */
void folder_sync(const char *path);
/* rm -rf without following links; true when all of it went (errno set otherwise). */
bool folder_remove_tree(const char *path);

#endif /* FOLDER_H */
