"""The command line: ``python -m bot [--env-file PATH] [COMMAND ...]``, with ``--help`` on every level.

With no command, ``python -m bot`` starts the bot (:mod:`bot.__main__`). The commands only check or
show things and never need a token: ``questions check``, ``preview``, ``screenshots``, ``health`` and
``db`` (``db upgrade``, ``db copy --to postgresql://...``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

SETTINGS_HELP = """\
settings (only for starting the bot):
  Read from the environment, or from a .env file in the current directory ({env}), or from the
  file given with --env-file. The environment wins over the file. See .env.example.

  DISCORD_TOKEN         required: the bot's token (developer portal -> Bot -> Reset Token)
  DATABASE_URL          optional: postgresql://user:password@host:5432/dbname to use PostgreSQL;
                        unset means the SQLite file at DATABASE_PATH
  DATABASE_PATH         the SQLite file, created and migrated at start-up (default: studybot.sqlite3;
                        a relative path is relative to the current directory: {database})
  DEV_GUILD_ID          optional: sync commands to this one server at start-up (for development)
  LOG_LEVEL             DEBUG, INFO (default), WARNING, ERROR or CRITICAL: the bot's own log lines
  LOG_LEVEL_LIBRARIES   the same for discord.py, aiosqlite and other libraries (default: INFO, or
                        LOG_LEVEL if that is quieter)
  DEFAULT_TIMEZONE      time zone for members who have not set one (default: America/New_York)
  DATABASE_URL          a PostgreSQL database instead of the SQLite file (needed for several processes)
  SHARD_COUNT           Discord shards in all (default: Discord's recommended count, all in this process)
  SHARD_IDS             the shards this process runs, such as 0,1 (default: all; needs SHARD_COUNT,
                        and DATABASE_URL when other processes run the rest)
  HEALTH_PORT           serve the health report on 127.0.0.1:PORT (for `python -m bot health`)

exit status: 0 stopped normally (Ctrl-C, SIGTERM); 2 a setting or start-up problem, named in one line.
"""

HEALTH_HELP = """Ask the running bot's health endpoint (127.0.0.1:HEALTH_PORT) and print its report: the gateway
(shards connected, latency), the database, the scheduler's next wake-ups and overdue reminders.
Needs HEALTH_PORT (from the environment, .env or --env-file, as for starting the bot) or --port.

exit status: 0 healthy; 1 unhealthy (the report says why); 2 nothing answers or HEALTH_PORT is not set.
"""


def existing_folder(text: str) -> Path:
    """An argument that must name a folder that exists (said in one line, not a table of zeros)."""
    path = Path(text)
    if not path.is_dir():
        what = "is a file, not a folder" if path.exists() else "does not exist"
        raise argparse.ArgumentTypeError(f"{path.resolve()} {what}")
    return path


def port(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"{number} is not a port number (1-65535)")
    return number


def build_parser() -> argparse.ArgumentParser:
    formatter = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        usage="%(prog)s [-h] [--env-file PATH] [COMMAND ...]",
        description="EMR Study Bot: a Discord bot for NREMT EMR study groups.\n"
        "With no command, start the bot (stop it with Ctrl-C or SIGTERM).",
        epilog=SETTINGS_HELP.format(env=Path(".env").resolve(), database=Path("studybot.sqlite3").resolve()),
        formatter_class=formatter,
    )
    parser.add_argument(
        "--env-file",
        metavar="PATH",
        type=Path,
        default=None,
        help="read settings from this file instead of .env in the current directory",
    )
    commands = parser.add_subparsers(
        dest="command", title="commands", metavar="COMMAND", prog="python -m bot"
    )

    questions = commands.add_parser(
        "questions",
        help="work with a question bank",
        description="Work with a question bank (the shipped one, or an organizer's edited copy).",
    )
    question_commands = questions.add_subparsers(
        dest="questions_command", title="commands", metavar="COMMAND", required=True
    )
    check = question_commands.add_parser(
        "check",
        help="check a question bank folder: line-numbered problems and the mix",
        description="Check a question bank folder and print its problems (with file and line) and its "
        "mix. Exit status 1 if there is any error, 0 otherwise (warnings alone do not fail), 2 for a "
        "usage mistake.",
    )
    check.add_argument(
        "path",
        metavar="PATH",
        nargs="?",
        type=existing_folder,
        default=None,
        help="the folder of *.yaml files (default: the bank shipped in bot/data/questions)",
    )

    preview = commands.add_parser(
        "preview",
        help="try the bot offline in a browser (needs the [preview] extra)",
        description="Run the real bot inside a simulated Discord on 127.0.0.1 and print the page's "
        "address. Needs no token. Stop with the page's 'End preview session', Ctrl-C or SIGTERM.",
    )
    preview.add_argument(
        "--port", type=port, default=None, help="loopback port for the page (default: a free one)"
    )
    preview.add_argument(
        "--database",
        metavar="PATH",
        type=Path,
        default=None,
        help="use this SQLite file instead of a throwaway one (never the bot's own unless you name it)",
    )

    screenshots = commands.add_parser(
        "screenshots",
        help="save PNGs of scripted interactions (needs [preview] and chromium)",
        description="Drive scripted interactions in the preview and save one PNG each (the README's images).",
    )
    screenshots.add_argument(
        "folder",
        metavar="DIR",
        type=Path,
        nargs="?",
        default=Path("docs/img"),
        help="where to write the PNGs (default: docs/img)",
    )
    health = commands.add_parser(
        "health",
        help="ask the running bot whether it is healthy (for a container health check)",
        description=HEALTH_HELP,
        formatter_class=formatter,
    )
    health.add_argument(
        "--port", type=port, default=None, help="the health endpoint's port (default: HEALTH_PORT)"
    )
    add_db_commands(commands)
    return parser


def health_main(args: argparse.Namespace) -> int:
    from bot.health import check
    from bot.settings import SettingsError, load_health_port

    number = args.port
    if number is None:
        try:
            number = load_health_port(args.env_file if args.env_file is not None else Path(".env"))
        except SettingsError as error:
            print(f"Cannot check health: {error}", file=sys.stderr)
            return 2
    if number is None:
        print(
            "Cannot check health: HEALTH_PORT is not set (set it for the bot and for this command, "
            "or pass --port)",
            file=sys.stderr,
        )
        return 2
    status, text = check(number)
    print(text, file=sys.stdout if status < 2 else sys.stderr)
    return status


def add_db_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db = commands.add_parser(
        "db",
        help="upgrade the database, or copy it to PostgreSQL",
        description="The database named by DATABASE_URL (PostgreSQL) or DATABASE_PATH (SQLite, the default).",
    )
    db_commands = db.add_subparsers(dest="db_command", title="commands", metavar="COMMAND", required=True)
    db_commands.add_parser(
        "upgrade",
        help="apply pending migrations now (start-up applies them too)",
        description="Apply every pending migration to the configured database, then print its revision. "
        "A database made by an earlier release is upgraded in place, every row kept. Exit status 2 if the "
        "database cannot be used.",
    )
    copy = db_commands.add_parser(
        "copy",
        help="copy the SQLite database into an empty PostgreSQL database",
        description="Copy every table of the SQLite database (DATABASE_PATH, or --from) into an empty "
        "PostgreSQL database, then compare the row counts. Refuses a target that has any rows. The "
        "SQLite file is only read. Stop the bot first.",
    )
    copy.add_argument(
        "--to", required=True, metavar="URL", help="postgresql://user:password@host:5432/dbname"
    )
    copy.add_argument(
        "--from", dest="source", metavar="PATH", type=Path, default=None,
        help="the SQLite file (default: DATABASE_PATH from the settings)",
    )  # fmt: skip


def run_command(args: argparse.Namespace) -> int:
    """Run a parsed command other than starting the bot; its exit status."""
    if args.command == "questions":
        from bot.features.practice.content import check_main as check_practice
        from bot.features.quiz.bank import DEFAULT_BANK_DIR, check_bank
        from bot.features.quiz.bank.cli import main as check_questions
        from bot.policy import load_policy

        status = check_questions([str(args.path)] if args.path is not None else [])
        if status == 2:
            return status
        bank, _ = check_bank(args.path or DEFAULT_BANK_DIR, load_policy(), near_duplicates=False)
        return max(status, check_practice({q.id: q.stem for q in bank.questions}))
    if args.command == "preview":
        from bot.sandbox.cli import preview_main

        return preview_main(port=args.port, database=args.database)
    if args.command == "screenshots":
        from bot.sandbox.cli import screenshots_main

        return screenshots_main(args.folder)
    if args.command == "health":
        return health_main(args)
    if args.command == "db":
        from bot.db.cli import db_main

        return db_main(args)
    raise AssertionError(f"unknown command {args.command!r}")
