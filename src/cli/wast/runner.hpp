// Copyright Crush authors.
// Runs a parsed spec script against the Crush VM and counts the outcome of every command.
// Counting: each module command, action and assertion is one test (passed or failed); text
// modules (assert_malformed on .wat) are skipped; a `register` is not a test unless it fails.
#pragma once

#include "wast/linker.hpp"
#include "wast/script.hpp"

#include <atomic>
#include <cstdio>
#include <map>
#include <string>

namespace crush::cli::wast {

/// How a script is run and reported.
struct RunnerOptions {
    bool verbose = false;         ///< print each failure (and skip) with its line
    bool check_messages = true;   ///< expected message text must be a prefix of ours
    std::FILE* out = stdout;      ///< where reports and spectest prints go
    /// Which of the VM's code variants runs the script: plain, fuel-metered (with fuel that
    /// never runs out) or interrupt-checked (with a flag never raised). Results must not differ.
    enum class Metering : uint8_t { none, fuel, interrupt } metering = Metering::none;
};

/// How many tests passed, failed and were skipped.
struct Tally {
    unsigned passed = 0;
    unsigned failed = 0;
    unsigned skipped = 0;
};

/// The verdict on one command, with what went wrong when it did not pass.
struct Verdict {
    enum class Status : uint8_t { pass, fail, skip, none };  ///< none: not a test (register ok)
    Status status = Status::pass;
    std::string detail;

    static Verdict pass() { return {Status::pass, {}}; }
    static Verdict fail(std::string why) { return {Status::fail, std::move(why)}; }
    static Verdict skip(std::string why) { return {Status::skip, std::move(why)}; }
};

/// One script run: its own Store, registry and named modules. `script` must outlive it.
class Runner {
public:
    /// A fresh Store with the spectest module defined; nothing runs yet.
    Runner(const Script& script, RunnerOptions options);

    /// Run every command in order; report failures as they happen when verbose.
    Tally run();

    /// Run one command (commands must be given in script order).
    Verdict run_command(const Command& c);

private:
    /// What an action produced: a VM outcome, or an error of the script (unknown export, …).
    struct ActionOutcome {
        std::string error;  ///< non-empty: the action could not be performed
        ExecResult exec;
    };

    Result<std::shared_ptr<const Module>> load(const std::string& filename) const;
    Result<Instance*> instantiate(const std::shared_ptr<const Module>& module);
    ActionOutcome perform(const Action& a);
    bool message_matches(const std::string& expected, const std::string& actual) const;

    Verdict do_module(const Command& c);
    Verdict do_register(const Command& c);
    Verdict do_action(const Command& c);
    Verdict do_assert_return(const Command& c);
    Verdict do_assert_trap(const Command& c);
    Verdict do_assert_load_error(const Command& c, ErrorKind expected);
    Verdict do_assert_link_error(const Command& c, ErrorKind expected);

    const Script& m_script;
    RunnerOptions m_options;
    std::atomic<bool> m_never_interrupted{false};
    Store m_store;
    Linker m_linker;
    Instance* m_current = nullptr;
    std::map<std::string, Instance*, std::less<>> m_named;  ///< nullptr: the module failed to load
};

/// Run `script` and print `N passed, N failed[, N skipped]` as the last line of options.out.
Tally run_script(const Script& script, const RunnerOptions& options);

/// The summary line, e.g. "12 passed, 0 failed" or "10 passed, 1 failed, 3 skipped".
std::string summary_line(const Tally& t);

}  // namespace crush::cli::wast
