#include "helper/git/config_file.hpp"

#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>
#include <vector>

using patrol::helper::ConfigFileEntry;
using patrol::helper::ConfigFileRead;
using patrol::helper::parse_config_text;
using patrol::helper::read_config_file;

namespace {

constexpr std::string_view sections[] = {"patrol", "credential", "http"};

std::vector<std::string> read(std::string_view text,
                              ConfigFileRead expected = ConfigFileRead::done) {
  std::vector<ConfigFileEntry> out;
  CHECK(parse_config_text(text, "/nonexistent/dir/config", sections, out) == expected);
  std::vector<std::string> shown;
  for (const ConfigFileEntry& entry : out) {
    shown.push_back(entry.name + (entry.value ? "=" + *entry.value : ""));
  }
  return shown;
}

using Lines = std::vector<std::string>;

} // namespace

TEST_CASE("config file: git's syntax", "[helper][config_file]") {
  struct Row {
    const char* name;
    std::string text;
    Lines expected;
  };
  const std::vector<Row> rows{
      {"plain", "[patrol]\n\tstore = file\n", {"patrol.store=file"}},
      {"section and key lower-cased, subsection kept",
       "[Patrol \"https://H.example\"]\n  WarnDays = 3\n",
       {"patrol.https://H.example.warndays=3"}},
      {"dotted subsection lower-cased", "[patrol.HTTPS]\nx=1\n", {"patrol.https.x=1"}},
      {"no '=' is an implicit true", "[patrol]\nautoRotate\n", {"patrol.autorotate"}},
      {"empty value", "[patrol]\nx =\n", {"patrol.x="}},
      {"comments and trailing blanks", "; c\n# c\n[patrol] # c\nx = a b  ; c\n", {"patrol.x=a b"}},
      {"quotes keep blanks and comment characters",
       "[patrol]\nx = \" a ; b # \"\n",
       {"patrol.x= a ; b # "}},
      {"escapes", "[patrol]\nx = a\\tb\\\\c\\\"d\\ne\n", {"patrol.x=a\tb\\c\"d\ne"}},
      {"continuation line", "[patrol]\nx = a\\\n  b\n", {"patrol.x=a  b"}},
      {"CRLF line ends", "[patrol]\r\nx = 1\r\n", {"patrol.x=1"}},
      {"escaped quote in a subsection",
       "[credential \"a\\\"b\"]\nhelper = x\n",
       {"credential.a\"b.helper=x"}},
      {"other sections skipped",
       "[core]\nx=1\n[http \"https://a\"]\nproxy = p\n",
       {"http.https://a.proxy=p"}},
      {"key on the header's line", "[patrol] store = env\n", {"patrol.store=env"}},
      {"a byte order mark", "\xef\xbb\xbf[patrol]\nx=1\n", {"patrol.x=1"}},
      {"last line without a newline", "[patrol]\nx=1", {"patrol.x=1"}},
      {"a missing include is skipped",
       "[include]\npath = nothing-here\n[patrol]\nx=1\n",
       {"patrol.x=1"}},
  };
  for (const Row& row : rows) {
    SECTION(row.name) { CHECK(read(row.text) == row.expected); }
  }
}

TEST_CASE("config file: what git refuses or only git can decide goes to libgit2",
          "[helper][config_file]") {
  for (const char* text : {
           "[includeIf \"gitdir:~/work/\"]\npath = x\n",
           "[patrol]\nx = \"open quote\n",
           "[patrol]\nx = bad \\q escape\n",
           "[patrol\nx=1\n",
           "[patrol \"a\" ]\nx=1\n",
           "x = 1\n",
           "[patrol]\n1x = 1\n",
           "[patrol]\nx ; no value\n",
           "[include]\npath\n",
       }) {
    INFO(text);
    read(text, ConfigFileRead::ask_git);
  }
}

TEST_CASE("config file: include relative to the including file, in place",
          "[helper][config_file]") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("patrol-config-file-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir / "sub");
  std::ofstream(dir / "main") << "[patrol]\na = 1\n[include]\npath = sub/inc\n[patrol]\nc = 3\n";
  std::ofstream(dir / "sub" / "inc") << "[patrol]\nb = 2\n[include]\npath = deeper\n";
  std::ofstream(dir / "sub" / "deeper") << "[patrol]\nd = 4\n";
  std::ofstream(dir / "loop") << "[include]\npath = loop\n";
  std::vector<ConfigFileEntry> out;
  CHECK(read_config_file((dir / "main").string(), sections, out) == ConfigFileRead::done);
  Lines names;
  for (const ConfigFileEntry& entry : out) {
    names.push_back(entry.name + "=" + entry.value.value_or("?"));
  }
  CHECK(names == Lines{"patrol.a=1", "patrol.b=2", "patrol.d=4", "patrol.c=3"});
  std::vector<ConfigFileEntry> ignored;
  CHECK(read_config_file((dir / "loop").string(), sections, ignored) == ConfigFileRead::ask_git);
  std::filesystem::remove_all(dir);
}
