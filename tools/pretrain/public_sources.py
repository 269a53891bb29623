"""What the public-corpus scripts of tools/pretrain share: the installed files of a Debian package,
and the names of the manual pages the evaluation sets are built from (tools/realdata/make_mansets.py),
whose program catalogs are left out of every public corpus (a translated page may repeat its
program's --help text)."""
import re, subprocess, sys
from pathlib import Path

# the manpages packages of tools/realdata/make_mansets.py
EVAL_MANPAGES = ["manpages", "manpages-dev", "manpages-ru", "manpages-ru-dev", "manpages-uk", "manpages-sr",
                 "manpages-pl", "manpages-cs", "manpages-de", "manpages-fr", "manpages-es", "manpages-it",
                 "manpages-nl", "manpages-sv", "manpages-tr", "manpages-ja", "manpages-zh"]


def listing(package):
    """The paths `dpkg -L` lists for an installed package; exits naming the package when it is not."""
    result = subprocess.run(["dpkg", "-L", package], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"package {package} is not installed: apt-get install {package}")
    return result.stdout.splitlines()


def locale_language(locale):
    """The language of a locale directory's name: de_AT, de@euro and de.UTF-8 are all de."""
    return re.split(r"[_@.]", locale)[0]


def evaluation_page_names():
    """The names of every manual page the evaluation manpages packages install (grep, sed ...)."""
    return {Path(path).name.split(".")[0] for package in EVAL_MANPAGES for path in listing(package)
            if "/man/" in path and path.endswith(".gz")}
