// Copyright Crush authors.
// `exo wast` as a user runs it: exit codes, the summary line, --verbose, temporary files.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

struct ExoRun {
    int exit_code = -1;
    std::string output;  ///< stdout and stderr together
};

/// Run exo with `args` (already shell-quoted) and TMPDIR set to `tmpdir`.
ExoRun exo(const std::string& args, const fs::path& tmpdir) {
    std::string cmd = "TMPDIR='" + tmpdir.string() + "' '" + CRUSH_EXO_PATH + "' wast " + args + " 2>&1";
    ExoRun r;
    std::FILE* p = ::popen(cmd.c_str(), "r");
    if (!p)
        return r;
    std::array<char, 4096> buf;
    size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
        r.output.append(buf.data(), n);
    int status = ::pclose(p);
    r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return r;
}

std::string last_line(const std::string& s) {
    std::string t = s;
    while (!t.empty() && t.back() == '\n')
        t.pop_back();
    auto pos = t.rfind('\n');
    return pos == std::string::npos ? t : t.substr(pos + 1);
}

class WastCli : public ::testing::Test {
protected:
    void SetUp() override {
        char tmpl[] = "/tmp/crush-wast-cli-XXXXXX";
        ASSERT_NE(::mkdtemp(tmpl), nullptr);
        m_tmp = tmpl;
    }
    void TearDown() override { fs::remove_all(m_tmp); }
    fs::path m_tmp;
    const fs::path m_wast = fs::path(CRUSH_TEST_SOURCE_DIR) / "wast";
};

TEST_F(WastCli, PassingScriptExitsZeroAndCleansUp) {
    ExoRun r = exo("'" + (m_wast / "i32.wast").string() + "'", m_tmp);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(last_line(r.output).ends_with(" passed, 0 failed")) << r.output;
    EXPECT_FALSE(last_line(r.output).starts_with("0 passed")) << r.output;
    EXPECT_TRUE(fs::is_empty(m_tmp)) << "the converted files were left behind";
}

TEST_F(WastCli, WrongExpectationsFailWithTheirLines) {
    ExoRun r = exo("--verbose '" + (m_wast / "failing" / "wrong_values.wast").string() + "'", m_tmp);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_EQ(last_line(r.output), "1 passed, 5 failed") << r.output;
    EXPECT_NE(r.output.find("wrong_values.wast:12: assert_return failed: expected [i32:2], got [i32:1]"),
              std::string::npos)
        << r.output;
    EXPECT_TRUE(fs::is_empty(m_tmp));
}

TEST_F(WastCli, QuietWithoutVerbose) {
    ExoRun r = exo("'" + (m_wast / "failing" / "wrong_traps.wast").string() + "'", m_tmp);
    EXPECT_EQ(r.exit_code, 1) << r.output;
    EXPECT_EQ(r.output, "1 passed, 5 failed\n");
}

TEST_F(WastCli, JsonInputIsRunDirectly) {
    fs::path json = m_tmp / "conv" / "t.json";
    fs::create_directories(json.parent_path());
    std::string cmd = "wast2json '" + (m_wast / "globals.wast").string() + "' -o '" + json.string() + "'";
    ASSERT_EQ(std::system(cmd.c_str()), 0);
    ExoRun r = exo("'" + json.string() + "'", m_tmp / "conv");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(last_line(r.output).ends_with(" passed, 0 failed")) << r.output;
}

TEST_F(WastCli, ScriptErrorsExit65) {
    ExoRun missing = exo("/nonexistent/script.wast", m_tmp);
    EXPECT_EQ(missing.exit_code, 65) << missing.output;
    EXPECT_NE(missing.output.find("no such file"), std::string::npos) << missing.output;

    fs::path bad_json = m_tmp / "bad.json";
    std::ofstream(bad_json) << "{ this is not json";
    ExoRun bad = exo("'" + bad_json.string() + "'", m_tmp);
    EXPECT_EQ(bad.exit_code, 65) << bad.output;
    EXPECT_NE(bad.output.find("not valid JSON"), std::string::npos) << bad.output;

    fs::path bad_wast = m_tmp / "bad.wast";
    std::ofstream(bad_wast) << "(module (func (i32.frobnicate)))\n";
    ExoRun conv = exo("'" + bad_wast.string() + "'", m_tmp);
    EXPECT_EQ(conv.exit_code, 65) << conv.output;
    EXPECT_NE(conv.output.find("wast2json could not convert"), std::string::npos) << conv.output;
    fs::remove(bad_json);
    fs::remove(bad_wast);
    EXPECT_TRUE(fs::is_empty(m_tmp)) << "a failed conversion left files behind";
}

}  // namespace
