"""What `make bench` prints and keeps: the table, the PASS/FAIL targets and the flat figures."""


def log(message: str) -> None:
    print(message, flush=True)


# Targets: (key, scenario, what it is compared with, minimum ratio).
RATIO_TARGETS = [
    ("article_proxy_vs_static", "article_proxy", "static_proxy", 0.8),
    ("article_proxy_vs_ok", "article_proxy", "django_ok", 5.0),
    ("article_anonymous_origin", "article_anonymous_origin", "django_ok", 0.20),
    ("article_logged_in_origin", "article_logged_in_origin", "django_ok", 0.15),
    ("home_logged_in_origin", "home_logged_in_origin", "django_ok", 0.25),
    ("section_logged_in_origin", "section_logged_in_origin", "django_ok", 0.25),
    ("search_logged_in_origin", "search_logged_in_origin", "django_ok", 0.20),
]
SPIKE_P99_MS = 50
QUEUE_MS = 300


def print_table(results: dict) -> None:
    base = results["scenarios"].get("django_ok", {}).get("rps")
    log("")
    log(
        f"{'scenario':<52} {'via':<8} {'req/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6} "
        f"{'non-2xx':>7} {'errors':>6}"
    )
    for row in results["scenarios"].values():
        ratio = f"{row['ratio']:.2f}" if row.get("ratio") is not None else "-"
        log(
            f"{row['label']:<52} {row['via']:<8} {row['rps']:>8.0f} {row['p50_ms']:>7.1f} "
            f"{row['p99_ms']:>7.1f} {ratio:>6} {row['non_2xx']:>7} {row['socket_errors']:>6}"
        )
    log(
        f"(ratio: to the Django 'ok' view straight to gunicorn, {base or 0:.0f} req/s, and for "
        "pages straight to gunicorn to 'ok' measured in turns with them; non-2xx: "
        "unexpected statuses, a comment post's 302 being its success; errors: wrk socket errors "
        "and timeouts)"
    )
    memory = results.get("memory_kib", {})
    if memory:
        workers = memory["workers"]
        log(
            f"Resident memory per gunicorn worker (VmRSS, after the load): "
            f"{', '.join(f'{kib / 1024:.0f}' for kib in workers.values())} MiB "
            f"(master {memory['master'] / 1024:.0f} MiB; Varnish {memory['varnish'] / 1024:.0f} "
            "MiB)"
        )


def evaluate(results: dict) -> list[dict]:
    targets = []

    def add(key: str, name: str, ok: bool, detail: str) -> None:
        targets.append({"key": key, "name": name, "pass": bool(ok), "detail": detail})

    scenarios = results["scenarios"]
    for key, name, versus, minimum in RATIO_TARGETS:
        row, base = scenarios.get(name), scenarios.get(versus)
        if row is None or base is None:
            continue
        turns = ""
        if row.get("beside", {}).get("name") == versus:
            # Measured in turns with the page, rather than minutes before it.
            base, turns = row["beside"], ", in turns with it"
        ratio = row["rps"] / base["rps"] if base["rps"] else 0.0
        ok = ratio >= minimum
        detail = (
            f"{row['rps']:.0f} req/s = {ratio:.2f} of '{base['label']}' ({base['rps']:.0f} "
            f"req/s{turns}; target >= {minimum})"
        )
        if key == "article_proxy_vs_static":
            detail += (
                f"; {row['bytes_per_response']:.0f} vs {base['bytes_per_response']:.0f} B/response"
            )
        if key == "article_logged_in_origin":
            q = results["article_queries"]
            ok = ok and q["constant"]
            detail += (
                f"; queries with 200 comments and 10 links / 3 comments and 1 link: "
                f"{q['many']['comments_drawn']}/{q['few']['comments_drawn']} with the comment "
                f"list drawn, {q['many']['comments_from_fragment_cache']}/"
                f"{q['few']['comments_from_fragment_cache']} from its fragment cache "
                f"({'constant' if q['constant'] else 'NOT constant'})"
            )
        if key == "search_logged_in_origin":
            plan = results["search_plan"]
            ok = ok and plan["uses_gin_index"]
            index = "uses" if plan["uses_gin_index"] else "does NOT use"
            detail += f"; EXPLAIN {index} articles_article_search_gin ({plan['matches']} matches)"
        add(key, row["label"], ok, detail)

    spike = scenarios.get("article_proxy_spike")
    if spike:
        errors = spike["non_2xx"] + spike["socket_errors"]
        add(
            "article_proxy_spike",
            spike["label"],
            errors == 0 and spike["p99_ms"] < SPIKE_P99_MS,
            f"{errors} errors (target 0), p99 {spike['p99_ms']:.1f} ms (target < {SPIKE_P99_MS}), "
            f"{spike['rps']:.0f} req/s, {spike['connections']} connections for "
            f"{spike['seconds']} s",
        )

    queue = results.get("moderation_queue")
    if queue:
        p1, p2 = queue["page_1"], queue["page_2"]
        add(
            "moderation_queue",
            "Moderation queue, 20,000 pending: first page",
            p1["status"] == 200 and p1["ms"] < QUEUE_MS and p1["queries"] == p2["queries"],
            f"{p1['ms']:.0f} ms server time (target < {QUEUE_MS}), {p1['queries']} queries "
            f"(page 2: {p2['queries']}), {len(p1['count_queries'])} COUNT queries, "
            f"slowest SQL {p1['slowest_sql_ms']:.1f} ms",
        )
    bad = {
        row["label"]: row["non_2xx"] + row["socket_errors"]
        for row in scenarios.values()
        if row["non_2xx"] + row["socket_errors"]
    }
    add(
        "zero_non_2xx",
        "Zero non-2xx and socket errors in every scenario",
        not bad,
        "none" if not bad else "; ".join(f"{k}: {v}" for k, v in bad.items()),
    )
    burst = results.get("burst")
    if burst:
        add(
            "burst",
            f"Burst of {burst['requests']} comments from {burst['clients']} clients, "
            "through the proxy",
            burst["lost"] == 0
            and burst["unexpected_rows"] == 0
            and burst["duplicated_rows"] == 0
            and burst["succeeded"] == burst["requests"],
            f"{burst['succeeded']} succeeded in {burst['seconds']} s, {burst['rows_added']} rows "
            f"added, lost {burst['lost']}, rows without a success {burst['unexpected_rows']}, "
            f"duplicates {burst['duplicated_rows']}; statuses {burst['statuses']}",
        )
    outage = results.get("outage")
    if outage:
        for kind, report in outage["targets"].items():
            statuses = set(report["failed_by_status"])
            recovered = report.get("recovered_s_after_db_up", 0.0)
            ok = statuses <= {"503"} and recovered <= 5
            detail = (
                f"{report['failed']} of {report['requests']} failed {report['failed_by_status']}"
            )
            if kind == "healthz":
                # Proof the restart really took the database away from the server.
                ok = ok and report["failed"] > 0
                detail += " (must see the outage)"
            if report["failed"]:
                detail += (
                    f" for {report['failing_for_s']} s; recovered {recovered} s after the "
                    "database was back (target <= 5 s, only 503s)"
                )
            add(f"outage_{kind}", f"PostgreSQL restart under load: {kind}", ok, detail)
    limit = results.get("shared_rate_limit")
    if limit:
        codes = ", ".join(f":{p['port']}={p['status']}" for p in limit["posts"])
        add(
            "shared_rate_limit",
            f"Rate limit {limit['limit']}/IP shared by two servers",
            limit["holds"],
            codes,
        )
    return targets


def figures(results: dict) -> dict:
    """Every figure under a stable, flat key, for comparing runs."""
    out = {
        "load_average_at_start": results["load_average_at_start"],
        "load_average_at_end": results["load_average_at_end"],
        "cpu_count": results["cpu_count"],
    }
    scenarios = results["scenarios"]
    for key, row in scenarios.items():
        out[f"{key}.rps"] = round(row["rps"], 1)
        out[f"{key}.p50_ms"] = round(row["p50_ms"], 2)
        out[f"{key}.p99_ms"] = round(row["p99_ms"], 2)
        out[f"{key}.errors"] = row["non_2xx"] + row["socket_errors"]
        out[f"{key}.bytes_per_response"] = round(row["bytes_per_response"])
        if row.get("ratio") is not None:
            out[f"{key}.ratio_to_django_ok"] = round(row["ratio"], 3)
        if "beside" in row:
            out[f"{key}.django_ok_rps_in_turns"] = round(row["beside"]["rps"], 1)
    for key, name, versus, _ in RATIO_TARGETS:
        if name in scenarios and versus in scenarios and versus != "django_ok":
            out[f"{key}.ratio"] = round(scenarios[name]["rps"] / scenarios[versus]["rps"], 3)
    static = results.get("static_copy")
    if static:
        out["article_page.bytes"] = static["bytes"]
        out["static_copy.bytes"] = static["bytes"]
    queries = results.get("article_queries")
    if queries:
        for label in ("many", "few"):
            for mode in ("comments_drawn", "comments_from_fragment_cache"):
                out[f"article_logged_in_queries.{label}.{mode}"] = queries[label][mode]
        out["article_logged_in_queries.constant"] = queries["constant"]
    plan = results.get("search_plan")
    if plan:
        out["search.uses_gin_index"] = plan["uses_gin_index"]
        out["search.matches"] = plan["matches"]
    queue = results.get("moderation_queue")
    if queue:
        out["moderation_queue.page_1.ms"] = round(queue["page_1"]["ms"], 1)
        out["moderation_queue.page_1.queries"] = queue["page_1"]["queries"]
        out["moderation_queue.page_2.queries"] = queue["page_2"]["queries"]
    burst = results.get("burst")
    if burst:
        for name in ("requests", "succeeded", "lost", "unexpected_rows", "duplicated_rows"):
            out[f"burst.{name}"] = burst[name]
        out["burst.seconds"] = burst["seconds"]
    outage = results.get("outage")
    if outage:
        out["outage.restart_took_s"] = outage["restart_took_s"]
        for kind, report in outage["targets"].items():
            out[f"outage.{kind}.requests"] = report["requests"]
            out[f"outage.{kind}.failed"] = report["failed"]
            out[f"outage.{kind}.recovered_s_after_db_up"] = report.get(
                "recovered_s_after_db_up", 0.0
            )
    limit = results.get("shared_rate_limit")
    if limit:
        out["shared_rate_limit.holds"] = limit["holds"]
    for target in results.get("targets", []):
        out[f"target.{target['key']}.pass"] = target["pass"]
    return out
