#!/usr/bin/env python3
"""Differential test: patrol's Config against `git config --get-urlmatch` itself.

For every scenario (configuration files, a repository, `git -c`, GIT_CONFIG_COUNT,
GIT_CONFIG_PARAMETERS) and every URL, runs git and print_config in the same throwaway
environment and compares stdout and exit code byte for byte (and the message when git
refuses the URL).

usage: run_diff.py PATH/TO/print_config
"""
import os
import shutil
import subprocess
import sys
import tempfile

PRINT = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else None

# Settings that exercise every matching rule; later equal entries must win.
RICH = r"""
[patrol]
	store = default
[Patrol]
	Flag
	empty =
[patrol "https://example.com"]
	store = host
	warnDays = 30
[patrol "https://EXAMPLE.com:443/"]
	warnDays = 7
[patrol "https://example.com/group"]
	store = group
[patrol "https://example.com/group/"]
	recheck = group-slash
[patrol "https://example.com/group/repo.git"]
	store = repo
[patrol "https://alice@example.com"]
	store = alice-host
	user = alice
[patrol "https://alice@example.com/group"]
	store = alice-group
[patrol "https://*.example.com"]
	store = star
	star = one-label
[patrol "https://*.*.example.com"]
	store = star2
[patrol "https://git.example.com"]
	store = git
[patrol "https://git*.example.com"]
	store = not-a-glob
[patrol "http://example.com:8080"]
	store = port8080
[patrol "http://example.com"]
	store = http
[patrol "https://example.com:08443"]
	store = port8443
[patrol "https://example.com/%67roup/sub"]
	pct = decoded
[patrol "https://example.com/group%2Frepo"]
	pct = escaped-slash
[patrol "https://example.com/a/./b/../c"]
	dots = resolved
[patrol "https://[::1]:8443"]
	store = ipv6
[patrol "file:///tmp"]
	store = file
[patrol "notaurl"]
	store = bogus
[patrol "https://example.com?x=1"]
	query = yes
[patrol "HTTPS://Example.Com/Group"]
	store = case-path
[patrol "https://%61lice@example.com/pct"]
	store = pct-user
[patrol "https://@example.com/empty-user"]
	store = empty-user
[patrol "https://example.com"]
	store = host-later
[http]
	store = unrelated
[patrolx]
	store = unrelated
"""

# git's own http.* settings, which patrol reads on demand for its forge calls.
HTTP_RICH = r"""
[http]
	sslVerify = false
	proxy = http://proxy.example:3128
[http "https://example.com"]
	sslCAInfo = /etc/ca-host.pem
[http "https://example.com/group"]
	sslCAInfo = ~/ca-group.pem
	proxy =
[http "https://*.example.com"]
	proxy = socks5://star.example:1080
[HTTP "https://alice@example.com"]
	SSLCAInfo = alice.pem
[http "https://example.com/group/repo.git"]
	sslCAInfo = /etc/ca-repo.pem
[patrol]
	store = unrelated
[httpx]
	proxy = unrelated
"""

URLS = [
    "https://example.com",
    "https://EXAMPLE.COM",
    "HTTPS://Example.com/",
    "https://example.com:443",
    "https://example.com:0443/",
    "http://example.com:80/x",
    "http://example.com:8080/x",
    "http://example.com:08080",
    "https://example.com:8443/",
    "https://example.com:80",
    "https://example.com/group",
    "https://example.com/group/",
    "https://example.com/group/repo.git",
    "https://example.com/group/repo.git/info/refs",
    "https://example.com/groupie",
    "https://example.com/Group",
    "https://example.com/group/./repo.git",
    "https://example.com/a/../group/repo.git",
    "https://example.com/%67roup/sub/x",
    "https://example.com/gr%6Fup",
    "https://example.com/group%2Frepo",
    "https://example.com/group%2frepo",
    "https://example.com/a/c",
    "https://example.com//group",
    "https://alice@example.com/group",
    "https://alice@example.com/",
    "https://bob@example.com/group",
    "https://alice:secret@example.com/x",
    "https://%61lice@example.com/pct",
    "https://@example.com/empty-user",
    "https://example.com/empty-user",
    "https://git.example.com",
    "https://GIT.Example.Com/group",
    "https://gitlab.example.com",
    "https://a.b.example.com",
    "https://a.b.c.example.com",
    "https://x.example.org",
    "https://example.com?x=1",
    "https://example.com/?x=1",
    "https://example.com/group?x",
    "https://example.com#frag",
    "https://[::1]:8443/repo",
    "http://localhost:3000/",
    "https://example.com.",
    "file:///tmp/x",
    "file:///tmpx",
    "ssh://example.com/group",
    # URLs git refuses
    "example.com",
    "https://exa mple.com",
    "https://*.example.com",
    "https://example.com:99999",
    "https://example.com:0",
    "https://example.com/%zz",
    "https://example.com/..",
    "https://:8080/",
]

KEYED_URLS = URLS[:20]  # `--get-urlmatch patrol.store <url>` over a share of them
ALIAS_URLS = URLS[:4] + URLS[24:26]


class Scenario:
    def __init__(self, name, files=None, env=None, cwd="work", cmdline=(), repo=None,
                 urls=None, direct=True, section="patrol"):
        self.name = name
        self.files = files or {}     # path relative to the scenario root -> text
        self.env = env or {}         # values may use {root}
        self.cwd = cwd               # relative to the root
        self.cmdline = list(cmdline)  # `git -c` arguments
        self.repo = repo             # callable(root, env) that sets up repositories
        self.urls = urls or URLS
        self.direct = direct         # also run print_config without git around it
        self.section = section       # the section asked about: patrol, or git's http


def base_env(root):
    """A minimal environment: nothing of this machine's git configuration leaks in."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.path.join(root, "home"),
        "LANG": "C",
        "LC_ALL": "C",
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CEILING_DIRECTORIES": os.path.dirname(root),
        "GIT_TERMINAL_PROMPT": "0",
    }
    return env


def git(args, env, cwd):
    return subprocess.run(["git"] + args, env=env, cwd=cwd, capture_output=True)


def make_repo(subdir, config_text, worktree=None, worktree_text=None):
    def setup(root, env):
        path = os.path.join(root, subdir)
        os.makedirs(path, exist_ok=True)
        subprocess.run(["git", "init", "-q", path], env=env, check=True)
        with open(os.path.join(path, ".git", "config"), "a") as f:
            f.write(config_text)
        if worktree:
            subprocess.run(["git", "-C", path, "config", "extensions.worktreeConfig", "true"],
                           env=env, check=True)
            subprocess.run(["git", "-C", path, "-c", "user.name=t", "-c", "user.email=t@t",
                            "commit", "-q", "--allow-empty", "-m", "init"], env=env, check=True)
            subprocess.run(["git", "-C", path, "worktree", "add", "-q",
                            os.path.join(root, worktree)], env=env, check=True)
            wt_gitdir = subprocess.run(["git", "-C", os.path.join(root, worktree), "rev-parse",
                                        "--git-dir"], env=env, check=True,
                                       capture_output=True, text=True).stdout.strip()
            with open(os.path.join(root, worktree, wt_gitdir, "config.worktree"), "w") as f:
                f.write(worktree_text)
        os.makedirs(os.path.join(path, "sub", "dir"), exist_ok=True)
    return setup


SCENARIOS = [
    Scenario("global file", files={"home/.gitconfig": RICH}),
    Scenario("system, XDG and global in order", files={
        "etc/gitconfig": "[patrol]\n\tstore = system\n\tsys = 1\n"
                         "[patrol \"https://example.com\"]\n\tstore = system-host\n\ttie = system\n",
        "xdg/git/config": "[patrol \"https://example.com\"]\n\ttie = xdg\n\txdg = 1\n",
        "home/.gitconfig": "[patrol \"https://example.com/\"]\n\ttie = global\n"
                           "[patrol]\n\tstore = global\n",
    }, env={"GIT_CONFIG_NOSYSTEM": None, "GIT_CONFIG_SYSTEM": "{root}/etc/gitconfig",
            "XDG_CONFIG_HOME": "{root}/xdg"}),
    Scenario("GIT_CONFIG_NOSYSTEM wins over GIT_CONFIG_SYSTEM", files={
        "etc/gitconfig": "[patrol]\n\tstore = system\n",
        "home/.gitconfig": "[patrol]\n\tglobal = yes\n",
    }, env={"GIT_CONFIG_NOSYSTEM": "true", "GIT_CONFIG_SYSTEM": "{root}/etc/gitconfig"},
        urls=URLS[:3]),
    Scenario("GIT_CONFIG_GLOBAL replaces ~/.gitconfig and XDG", files={
        "home/.gitconfig": "[patrol]\n\tstore = ignored\n",
        "home/.config/git/config": "[patrol]\n\txdg = ignored\n",
        "other.cfg": RICH,
    }, env={"GIT_CONFIG_GLOBAL": "{root}/other.cfg"}),
    Scenario("XDG default location under HOME", files={
        "home/.config/git/config": "[patrol \"https://*.example.com\"]\n\tstore = xdg-star\n",
        "home/.gitconfig": "[patrol \"https://*.example.com\"]\n\tstore = global-star\n",
    }, urls=URLS[30:38]),
    Scenario("repository config from a subdirectory", files={"home/.gitconfig": RICH},
             repo=make_repo("repo", "[patrol \"https://example.com/group\"]\n\tstore = local\n"
                                    "[patrol]\n\tlocal = yes\n"),
             cwd="repo/sub/dir"),
    Scenario("only the repository has patrol settings", files={
        "home/.gitconfig": "[credential]\n\thelper = patrol\n[user]\n\tname = patrol\n",
    }, repo=make_repo("repo", "[patrol \"https://example.com/group\"]\n\tstore = local\n"),
        cwd="repo/sub/dir", urls=URLS[:16]),
    Scenario("no patrol section anywhere", files={
        "home/.gitconfig": "[credential]\n\thelper = patrol\n[http]\n\tpatrol = no\n",
    }, repo=make_repo("repo", "[credential \"https://example.com\"]\n\thelper = patrol\n"),
        cwd="repo", urls=URLS[:6]),
    Scenario("inside a bare repository", files={"home/.gitconfig": "[user]\n\tname = x\n"},
             repo=lambda root, env: (
                 subprocess.run(["git", "init", "-q", "--bare", os.path.join(root, "bare.git")],
                                env=env, check=True),
                 subprocess.run(["git", "--git-dir", os.path.join(root, "bare.git"), "config",
                                 "patrol.https://example.com.store", "bare"], env=env, check=True)),
             cwd="bare.git/refs", urls=URLS[:6]),
    Scenario("GIT_DIR names the repository", files={"home/.gitconfig": RICH},
             repo=make_repo("repo", "[patrol]\n\tstore = via-git-dir\n"),
             env={"GIT_DIR": "{root}/repo/.git"}, urls=URLS[:12]),
    Scenario("GIT_CEILING_DIRECTORIES hides the repository", files={"home/.gitconfig": RICH},
             repo=make_repo("repo", "[patrol]\n\tstore = hidden\n"),
             env={"GIT_CEILING_DIRECTORIES": "{root}/repo/sub"}, cwd="repo/sub/dir",
             urls=URLS[:12]),
    Scenario("worktree config with extensions.worktreeConfig", files={"home/.gitconfig": ""},
             repo=make_repo("repo", "[patrol]\n\tstore = main-repo\n\tshared = yes\n",
                            worktree="wt", worktree_text="[patrol]\n\tstore = worktree\n"),
             cwd="wt", urls=URLS[:12]),
    Scenario("include and includeIf gitdir", files={
        "home/.gitconfig": "[patrol]\n\tstore = before\n[include]\n\tpath = inc.cfg\n"
                           "[includeIf \"gitdir:{root}/repo/\"]\n\tpath = {root}/home/ifrepo.cfg\n"
                           "[patrol]\n\tafter = yes\n",
        "home/inc.cfg": "[patrol]\n\tstore = included\n\tinc = yes\n",
        "home/ifrepo.cfg": "[patrol \"https://example.com\"]\n\tstore = in-repo-only\n",
    }, repo=make_repo("repo", ""), cwd="repo", urls=URLS[:12]),
    Scenario("include outside the repository", files={
        "home/.gitconfig": "[includeIf \"gitdir:{root}/repo/\"]\n\tpath = ifrepo.cfg\n",
        "home/ifrepo.cfg": "[patrol]\n\tstore = in-repo-only\n",
    }, urls=URLS[:4]),
    Scenario("includes without includeIf, nested and relative, read without libgit2", files={
        "home/.gitconfig": "[patrol]\n\tstore = before\n[include]\n\tpath = conf/inc.cfg\n"
                           "[include]\n\tpath = missing.cfg\n[patrol]\n\tafter = yes\n",
        "home/conf/inc.cfg": "[patrol]\n\tstore = included\n[include]\n\tpath = deeper.cfg\n",
        "home/conf/deeper.cfg": "[patrol \"https://example.com\"]\n\tstore = deeper\n",
    }, urls=URLS[:12]),
    Scenario("git's value syntax: quotes, escapes, continuations, comments, CRLF", files={
        "home/.gitconfig": "[patrol]\r\n\tquoted = \" a ; b # c \"  ; comment\r\n"
                           "\tescaped = x\\ty\\\\z\\\"w\n\tcontinued = one \\\n  two\n"
                           "\tspaced =   inner   blanks   # trailing\n"
                           "[Patrol.Dotted]\n\tkey = ignored-by-urlmatch\n"
                           "[patrol \"https://ex\\\"ample.com\"] store = escaped-subsection\n",
    }, urls=URLS[:12]),
    Scenario("git -c values", files={"home/.gitconfig": RICH}, cmdline=[
        "patrol.store=cmdline", "patrol.https://example.com.store=cmd-host",
        "Patrol.https://Example.com/group.Store=cmd-group",
        "patrol.https://*.example.com.warnDays=99",
        "patrol.note=it's a \"quoted\" value with spaces and !bang",
        "patrol.flag", "patrol.empty=",
    ], direct=False),
    Scenario("git -c with a repository", files={"home/.gitconfig": RICH},
             repo=make_repo("repo", "[patrol]\n\tstore = local\n\tlocal = yes\n"),
             cwd="repo/sub", cmdline=["patrol.local=cmdline"], direct=False, urls=URLS[:12]),
    Scenario("GIT_CONFIG_COUNT/KEY/VALUE", files={"home/.gitconfig": RICH}, env={
        "GIT_CONFIG_COUNT": "3",
        "GIT_CONFIG_KEY_0": "patrol.store", "GIT_CONFIG_VALUE_0": "count-0",
        "GIT_CONFIG_KEY_1": "PATROL.https://example.com/group.STORE", "GIT_CONFIG_VALUE_1": "count-1",
        "GIT_CONFIG_KEY_2": "patrol.spaced", "GIT_CONFIG_VALUE_2": "  two  words ",
    }),
    Scenario("GIT_CONFIG_COUNT before GIT_CONFIG_PARAMETERS", files={"home/.gitconfig": RICH}, env={
        "GIT_CONFIG_COUNT": "1",
        "GIT_CONFIG_KEY_0": "patrol.store", "GIT_CONFIG_VALUE_0": "from-count",
        "GIT_CONFIG_PARAMETERS": "'patrol.store=from-parameters'",
    }, urls=URLS[:12]),
    Scenario("GIT_CONFIG_PARAMETERS old and new quoting", files={"home/.gitconfig": RICH}, env={
        "GIT_CONFIG_PARAMETERS":
            "'patrol.store=old style' 'patrol.https://example.com.store'='new'\\''q'\\!'x' "
            "'patrol.bare'= 'patrol.oldbare'  'patrol.https://example.com/group.eq=a=b'"
            "\t'  patrol.trimmed  =kept '",
    }),
    Scenario("http settings in the global file", files={"home/.gitconfig": HTTP_RICH},
             section="http", urls=URLS[:40]),
    Scenario("http settings only in the repository", files={
        "home/.gitconfig": "[credential]\n\thelper = patrol\n[patrol]\n\tstore = file\n",
    }, repo=make_repo("repo", "[http \"https://example.com\"]\n\tproxy = repo-proxy\n"),
        cwd="repo/sub", section="http", urls=URLS[:16]),
    Scenario("http settings through an include", files={
        "home/.gitconfig": "[include]\n\tpath = inc.cfg\n",
        "home/inc.cfg": HTTP_RICH,
    }, section="http", urls=URLS[:12]),
    Scenario("http settings from git -c", files={"home/.gitconfig": HTTP_RICH}, cmdline=[
        "http.https://example.com.sslCAInfo=/cmd.pem", "http.proxy=cmd-proxy:8080",
    ], direct=False, section="http", urls=URLS[:12]),
]

ERROR_SCENARIOS = [
    ("a malformed global file", {"home/.gitconfig": "[patrol]\n\tstore = ok\n[broken\n"}, {},
     "home/.gitconfig"),
    ("a malformed system file", {"etc/gitconfig": "[patrol\n"},
     {"GIT_CONFIG_NOSYSTEM": None, "GIT_CONFIG_SYSTEM": "{root}/etc/gitconfig"}, "etc/gitconfig"),
    ("bogus GIT_CONFIG_PARAMETERS", {}, {"GIT_CONFIG_PARAMETERS": "'patrol.store=x"}, None),
    ("a bad key in GIT_CONFIG_KEY_0", {},
     {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": "patrol", "GIT_CONFIG_VALUE_0": "x"}, None),
]


def build(root, scenario_files, env_updates):
    os.makedirs(os.path.join(root, "home"))
    os.makedirs(os.path.join(root, "work"))
    for rel, text in scenario_files.items():
        path = os.path.join(root, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as f:
            f.write(text.replace("{root}", root))
    env = base_env(root)
    apply(env, env_updates, root)
    return env


def apply(env, updates, root):
    """Sets (or, for None, removes) variables; "{root}" stands for the scenario's root."""
    for key, value in updates.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value.replace("{root}", root)


def main():
    if not PRINT:
        print(__doc__)
        return 2
    failures = 0
    cases = 0
    for scenario in SCENARIOS:
        root = tempfile.mkdtemp(prefix="patrol-config-diff-")
        try:
            env = build(root, scenario.files, {})
            if scenario.repo:
                scenario.repo(root, env)
            apply(env, scenario.env, root)
            cwd = os.path.join(root, scenario.cwd)
            dash_c = []
            for item in scenario.cmdline:
                dash_c += ["-c", item]
            alias = ["-c", "alias.patrol-print=!" + PRINT]
            keys = ["store"] if scenario.section == "patrol" else ["sslCAInfo", "proxy"]
            queries = [(scenario.section, u) for u in scenario.urls] + \
                      [(f"{scenario.section}.{key}", u) for key in keys
                       for u in scenario.urls if u in KEYED_URLS]
            for name, url in queries:
                want = git(dash_c + ["config", "--get-urlmatch", name, url], env, cwd)
                runs = []
                # Through git, which exports GIT_CONFIG_PARAMETERS: always for `git -c`
                # scenarios, for a few URLs elsewhere (each run costs two processes).
                if not scenario.direct or url in ALIAS_URLS:
                    runs.append(("via git alias",
                                 ["git"] + dash_c + alias + ["patrol-print", name, url]))
                if scenario.direct:
                    runs.append(("direct", [PRINT, name, url]))
                for how, argv in runs:
                    cases += 1
                    got = subprocess.run(argv, env=env, cwd=cwd, capture_output=True)
                    same = (got.returncode == want.returncode and got.stdout == want.stdout and
                            (want.returncode != 128 or got.stderr == want.stderr))
                    if not same:
                        failures += 1
                        print(f"FAIL [{scenario.name}] {how}: --get-urlmatch {name} {url}")
                        print(f"  git   rc={want.returncode} out={want.stdout!r} err={want.stderr!r}")
                        print(f"  patrol rc={got.returncode} out={got.stdout!r} err={got.stderr!r}")
        finally:
            shutil.rmtree(root)

    for title, files, env_updates, named in ERROR_SCENARIOS:
        root = tempfile.mkdtemp(prefix="patrol-config-diff-")
        try:
            env = build(root, files, env_updates)
            cwd = os.path.join(root, "work")
            url = "https://example.com"
            want = git(["config", "--get-urlmatch", "patrol", url], env, cwd)
            got = subprocess.run([PRINT, "patrol", url], env=env, cwd=cwd, capture_output=True)
            cases += 1
            message = got.stderr.decode(errors="replace")
            ok = want.returncode != 0 and got.returncode == 3 and \
                (named is None or os.path.join(root, named) in message)
            if not ok:
                failures += 1
                print(f"FAIL [{title}]: git rc={want.returncode} {want.stderr!r}; "
                      f"patrol rc={got.returncode} {message!r}")
        finally:
            shutil.rmtree(root)

    # PATROL_STORE overrides whatever git configuration says (git does not know it).
    root = tempfile.mkdtemp(prefix="patrol-config-diff-")
    try:
        env = build(root, {"home/.gitconfig": RICH}, {"PATROL_STORE": "from-env"})
        got = subprocess.run([PRINT, "patrol.store", "https://example.com"], env=env,
                             cwd=os.path.join(root, "work"), capture_output=True)
        cases += 1
        if got.stdout != b"from-env\n":
            failures += 1
            print(f"FAIL [PATROL_STORE override]: {got.stdout!r}")
    finally:
        shutil.rmtree(root)

    print(f"{cases} cases, {failures} differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
