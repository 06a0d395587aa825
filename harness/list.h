/* list.h - `smrbench list`. */
#ifndef LIST_H
#define LIST_H

/* argv[0] is "list": the schemes with their properties, the structures. */
int cmd_list(int argc, char **argv);

#endif /* LIST_H */
