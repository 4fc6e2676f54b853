/* Embedding Crush from C: build the options by hand, offer a host function with a C callback
 * behind a permission, run, read the report. Then show what happens without the grant.
 *
 *   embed_c CAPSULE_DIR [EXO_HOME]
 */
#include <crush/crush.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct capital {
    const char* country;
    const char* city;
};

static const struct capital kCapitals[] = {{"france", "Paris"}, {"japan", "Tokyo"}};

/* env_ext.lookup(key, key_length, out, capacity) -> length or -1. user_data is the table size. */
static crush_host_action_t lookup(void* user_data, crush_call_t* call, const crush_value_t* args, size_t nargs,
                                  crush_value_t* results, size_t nresults) {
    size_t count = *(const size_t*)user_data;
    char key[64];
    uint32_t key_length = (uint32_t)args[1].of.i32;
    (void)nargs;
    (void)nresults;
    results[0].of.i32 = -1;
    if (key_length >= sizeof key) return CRUSH_HOST_CONTINUE;
    /* crush_call_read/write check the guest's pointers against its memory. */
    if (crush_call_read(call, (uint32_t)args[0].of.i32, key, key_length) != 0)
        return crush_call_trap(call, "lookup: key out of bounds");
    key[key_length] = '\0';
    for (size_t i = 0; i < count; i++) {
        size_t n = strlen(kCapitals[i].city);
        if (strcmp(kCapitals[i].country, key) != 0 || n > (uint32_t)args[3].of.i32) continue;
        if (crush_call_write(call, (uint32_t)args[2].of.i32, kCapitals[i].city, n) != 0)
            return crush_call_trap(call, "lookup: output out of bounds");
        results[0].of.i32 = (int32_t)n;
    }
    return CRUSH_HOST_CONTINUE;
}

static crush_options_t* make_options(const char* dir, const char* exo_home, int grant, const size_t* count) {
    static const crush_valtype_t params[] = {CRUSH_I32, CRUSH_I32, CRUSH_I32, CRUSH_I32};
    static const crush_valtype_t results[] = {CRUSH_I32};
    char module[4096];
    snprintf(module, sizeof module, "%s/guest.wasm", dir);
    crush_options_t* o = crush_options_new("embed-demo", module);
    if (!o) return NULL;
    crush_options_set_exo_home(o, exo_home);
    crush_options_set_limit(o, CRUSH_LIMIT_FUEL, 10000000);
    crush_options_allow(o, "io.print");
    if (grant) crush_options_allow(o, "demo.lookup");
    if (crush_options_add_host_function(o, "env_ext", "lookup", params, 4, results, 1, lookup, (void*)count, NULL,
                                        "demo.lookup") != CRUSH_OK) {
        fprintf(stderr, "add_host_function: %s\n", crush_last_error());
        crush_options_delete(o);
        return NULL;
    }
    return o;
}

int main(int argc, char** argv) {
    static const size_t count = sizeof kCapitals / sizeof kCapitals[0];
    const char* exo_home = argc > 2 ? argv[2] : "exo-home";
    crush_options_t* o;
    crush_capsule_t* capsule = NULL;
    crush_report_t* report;
    crush_status_t status;
    if (argc < 2) {
        fprintf(stderr, "usage: %s CAPSULE_DIR [EXO_HOME]\n", argv[0]);
        return 64;
    }

    o = make_options(argv[1], exo_home, 1, &count);
    if (!o) return 1;
    status = crush_capsule_create(o, &capsule);
    crush_options_delete(o);
    if (status != CRUSH_OK) {
        fprintf(stderr, "cannot create (%s): %s\n", crush_status_name(status), crush_last_error());
        return 1;
    }
    fflush(stdout); /* the capsule writes to the same descriptor */
    report = crush_capsule_run(capsule);
    if (!report || crush_report_outcome(report) != CRUSH_OUTCOME_EXITED) {
        fprintf(stderr, "capsule failed: %s%s\n", crush_report_trap_message(report), crush_report_error_message(report));
        return 1;
    }
    printf("[c] capsule exited with code %u\n", crush_report_exit_code(report));
    crush_report_delete(report);
    crush_capsule_delete(capsule);

    /* Without the grant, the module importing env_ext.lookup does not load. */
    o = make_options(argv[1], exo_home, 0, &count);
    if (!o) return 1;
    status = crush_capsule_create(o, &capsule);
    crush_options_delete(o);
    if (status != CRUSH_ERROR_UNLINKABLE) return 1;
    printf("[c] without demo.lookup (%s): %s\n", crush_status_name(status), crush_last_error());
    return 0;
}
