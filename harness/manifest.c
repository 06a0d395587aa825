/* manifest.c - the machine's settings that change measurements, for run.json. */
#include "manifest.h"

#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The library versions pkg-config reported when this binary was configured. */
#ifndef SMR_HWLOC_VERSION
#define SMR_HWLOC_VERSION NULL
#endif
#ifndef SMR_MANIFEST_URCU_VERSION
#define SMR_MANIFEST_URCU_VERSION NULL
#endif
#ifndef SMR_MANIFEST_CK_VERSION
#define SMR_MANIFEST_CK_VERSION NULL
#endif

/* The first line of ROOT/path without its newline; false when absent,
   unreadable or empty. */
static bool read_setting(const char *path, char *buf, size_t len)
{
    const char *root = getenv("SMRBENCH_SYSFS_ROOT");
    char full[4200];
    snprintf(full, sizeof full, "%s%s", root ? root : "", path);
    FILE *f = fopen(full, "r");
    if (!f)
        return false;
    bool ok = fgets(buf, (int)len, f) != NULL;
    fclose(f);
    if (ok)
        buf[strcspn(buf, "\n")] = 0;
    return ok && buf[0];
}

static json_t *text_or_null(const char *path)
{
    char buf[512];
    return read_setting(path, buf, sizeof buf) ? json_string(buf) : json_null();
}

/* "always [madvise] never": the word in brackets is the one in force. */
static json_t *chosen_word(const char *path)
{
    char buf[256];
    if (!read_setting(path, buf, sizeof buf))
        return json_null();
    char *open = strchr(buf, '['), *close = open ? strchr(open, ']') : NULL;
    if (!close)
        return json_string(buf);
    *close = 0;
    return json_string(open + 1);
}

/* "1" true, "0" false (inverted: a "disable" switch such as no_turbo). */
static json_t *switch_or_null(const char *path, bool inverted)
{
    char buf[32];
    if (!read_setting(path, buf, sizeof buf) || (strcmp(buf, "0") != 0 && strcmp(buf, "1") != 0))
        return json_null();
    return json_boolean((buf[0] == '1') != inverted);
}

/* Turbo/boost: the generic cpufreq switch (acpi-cpufreq, amd-pstate), else
   intel_pstate's no_turbo, which says the opposite. */
static json_t *boost(void)
{
    json_t *b = switch_or_null("/sys/devices/system/cpu/cpufreq/boost", false);
    if (json_is_null(b)) {
        json_decref(b);
        b = switch_or_null("/sys/devices/system/cpu/intel_pstate/no_turbo", true);
    }
    return b;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

/* Every file of vulnerabilities/ with its line ("Not affected",
   "Mitigation: Retpolines; ..."), by name. */
static json_t *mitigations(void)
{
    static const char dir[] = "/sys/devices/system/cpu/vulnerabilities";
    const char *root = getenv("SMRBENCH_SYSFS_ROOT");
    char full[4200];
    snprintf(full, sizeof full, "%s%s", root ? root : "", dir);
    struct dirent **names;
    int n = scandir(full, &names, NULL, by_name);
    if (n < 0)
        return json_null();
    json_t *m = json_object();
    for (int i = 0; i < n; i++) {
        char path[4200];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]->d_name);
        if (names[i]->d_name[0] != '.')
            json_object_set_new(m, names[i]->d_name, text_or_null(path));
        free(names[i]);
    }
    free(names);
    return m;
}

/* Each NUMA node's PUs as a list ("0-7,16-23"), in node order. */
static json_t *numa_pus(hwloc_topology_t topo)
{
    json_t *nodes = json_array();
    for (int i = 0; i < hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE); i++) {
        hwloc_obj_t node = hwloc_get_obj_by_type(topo, HWLOC_OBJ_NUMANODE, (unsigned)i);
        char *list = NULL;
        if (node->cpuset && hwloc_bitmap_list_asprintf(&list, node->cpuset) >= 0)
            json_array_append_new(nodes, json_string(list));
        else
            json_array_append_new(nodes, json_null());
        free(list);
    }
    return nodes;
}

/* The version pkg-config found at build time; hwloc's API version at run
   time added when it is another (the library was swapped under the binary). */
static json_t *hwloc_version(void)
{
    const char *built = SMR_HWLOC_VERSION;
    unsigned api = hwloc_get_api_version();
    if (api == HWLOC_API_VERSION)
        return built ? json_string(built) : json_null();
    char buf[96];
    snprintf(buf, sizeof buf, "%s (run-time API %u.%u.%u)", built ? built : "unknown",
             api >> 16, (api >> 8) & 0xff, api & 0xff);
    return json_string(buf);
}

static json_t *version_or_null(const char *v)
{
    return v ? json_string(v) : json_null();
}

char *manifest_json(hwloc_topology_t topo)
{
    json_t *m = json_object();
    json_object_set_new(m, "thp_enabled", chosen_word("/sys/kernel/mm/transparent_hugepage/enabled"));
    json_object_set_new(m, "thp_defrag", chosen_word("/sys/kernel/mm/transparent_hugepage/defrag"));
    json_object_set_new(m, "cpufreq_driver",
                        text_or_null("/sys/devices/system/cpu/cpu0/cpufreq/scaling_driver"));
    json_object_set_new(m, "cpufreq_governor",
                        text_or_null("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"));
    json_object_set_new(m, "boost", boost());
    json_object_set_new(m, "smt_active", switch_or_null("/sys/devices/system/cpu/smt/active", false));
    json_object_set_new(m, "smt_control", text_or_null("/sys/devices/system/cpu/smt/control"));
    json_object_set_new(m, "mitigations", mitigations());
    json_object_set_new(m, "numa_nodes",
                        json_integer(hwloc_get_nbobjs_by_type(topo, HWLOC_OBJ_NUMANODE)));
    json_object_set_new(m, "numa_pus", numa_pus(topo));
    json_object_set_new(m, "hwloc_version", hwloc_version());
    json_object_set_new(m, "liburcu_version", version_or_null(SMR_MANIFEST_URCU_VERSION));
    json_object_set_new(m, "ck_version", version_or_null(SMR_MANIFEST_CK_VERSION));
    char *text = json_dumps(m, 0);
    json_decref(m);
    if (!text)
        abort();
    return text;
}
