"""All outputs for the wall and the command meeting in one call (the CLI's and the GUI's path).

``write_report(project, out_dir, ReportOptions(...))`` writes map.pdf (the situation
map, or a map series), map.png, report.xlsx and briefing.pptx from one ImpactResult,
with the staffing plan and the crew plan when asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from heatgis.errors import Cancelled, Feedback, HeatGISError
from heatgis.text import Text


@dataclass
class ReportFiles:
    """What ``write_report`` wrote and the figures it used."""

    pdf: Path
    png: Path
    xlsx: Path
    pptx: Path
    pages: int
    result: object
    staffing: object = None
    crew_plan: object = None
    notes: list = field(default_factory=list)
    heat: object = None
    ops_plan: object = None
    change: object = None
    decisions: list = field(default_factory=list)
    record: dict | None = None


@dataclass
class ReportOptions:
    """How the report looks: the page, the map, the plans, the words.

    Attributes
    ----------
    paper, landscape, dpi
        The page (see ``PageSpec``).
    district : str, optional
        Map that district instead of the city.
    atlas : {None, "zones", "districts"}
        map.pdf as a map series: one page per active zone or per district (after the situation page).
    plans : bool
        Compute the staffing plan and the crew plan (``time_limit`` seconds of routing) and add
        them to the workbook and the deck.
    time_limit : float
    title, subtitle : str, optional
    lang : {"zh", "en"}
    extent : (xmin, ymin, xmax, ymax), optional
        The situation map's extent (default: the city or the district).
    heat_hours : int
        Hours of the heat balance computed when none is given (and the weather covers them).
    since : str, optional
        The earlier time the briefing compares with (较昨日): None = 24 hours before ``at``;
        ``"published"`` = the data time of the last published report before ``at`` (the
        project's records and the folder's ``published.json``); or a time.
    basemap : str, optional
        An offline basemap behind the printed map and the slide map: an ``.mbtiles`` file or a
        ``z/x/y`` tile folder (``render.basemap``); ``basemap_gcj02`` when its tiles are GCJ-02.
        A renderer given by the caller keeps its own basemap.
    atlas_all : bool
        The zone atlas pages every active zone, not only those with impact.
    decisions : tuple of str
        Open issues for the decisions slide, after the project's own (``open_issues``).
    record : bool
        Append the record of what was published to ``published.json`` in the folder
        (``export.published``); the caller keeps it in the project (``ReportFiles.record``).
    """

    paper: str = "A4"
    landscape: bool = True
    dpi: int = 150
    district: str | None = None
    atlas: str | None = None
    plans: bool = True
    time_limit: float = 2.0
    title: str | None = None
    subtitle: str | None = None
    lang: str = "zh"
    extent: tuple | None = None
    heat_hours: int = 72
    since: str | None = None
    basemap: str | None = None
    basemap_gcj02: bool = False
    atlas_all: bool = False
    decisions: tuple = ()
    record: bool = True


def write_report(
    project,
    out_dir,
    options: ReportOptions | None = None,
    *,
    at=None,
    result=None,
    renderer=None,
    staffing=None,
    crew_plan=None,
    heat=None,
    ops_plan=None,
    quality=None,
    data=None,
    feedback: Feedback | None = None,
    **option_values,
) -> ReportFiles:
    """Write map.pdf, map.png, report.xlsx and briefing.pptx into ``out_dir``.

    Parameters
    ----------
    project : Project
    out_dir : path-like
        An existing, writable folder.
    options : ReportOptions, optional
        The page, map, plans and language; the fields may also be given as keywords
        (``paper="A3", atlas="zones"``), which override those of ``options``.
    at : str or Timestamp, optional
        Default: the scenario's reference time.
    result, renderer, staffing, crew_plan : optional
        Reuse what the caller already has (the GUI's session). Without a
        renderer, the map is drawn with the staffing and crew plans as overlays
        (status rings, routes, legend entries); a given renderer prints its own
        ``overlays`` (the GUI's: what the planner sees).
    heat : HeatResult, optional
        The heat balance to print (sheets, slides, the map's panel). Without it, the
        balance over ``heat_hours`` from ``at`` is computed when the project's weather
        series covers them (as ``heatgis heat``, with the report's crew plan); else it
        is left out with a note.
    ops_plan : OpsPlan, optional
        The crews' operations plan (``plan_operations``). With ``plans`` and a project whose
        staff have crews it is planned here (24 h from ``at``); when there is one, the
        workbook gets the roster and coverage sheets and the deck's crew slide shows
        coverage instead of kilometres. A plan that cannot be made is noted, not fatal.
    quality : heatgis.analysis.quality.Quality, optional
        The project's data check, when the caller made it already; the workbook's summary
        sheet says how many problems the figures were made with (none: no row).
    data : dict, optional
        The data version recorded as published (``published.data_version``; default: the
        project file's SHA-256 as on disk and the zones' hash).
    feedback : heatgis.errors.Feedback, optional
        Progress 0-100; checked between the steps. A cancelled report raises ``Cancelled`` and
        removes the files it had written (nothing half-written stays in ``out_dir``).

    Returns
    -------
    ReportFiles
    """
    known = {f.name for f in fields(ReportOptions)}
    unknown = set(option_values) - known
    if unknown:
        raise TypeError(f"write_report() got unknown option(s): {', '.join(sorted(unknown))}")
    opts = replace(options or ReportOptions(), **option_values)
    fb = feedback if feedback is not None else Feedback()
    written: list[Path] = []
    given = {
        "result": result,
        "renderer": renderer,
        "staffing": staffing,
        "crew_plan": crew_plan,
        "heat": heat,
        "ops_plan": ops_plan,
        "quality": quality,
        "data": data,
    }
    try:
        return _write(project, Path(out_dir), opts, at, given, fb, written)
    except Cancelled:
        for f in written:
            Path(f).unlink(missing_ok=True)
        raise


def _write(project, out: Path, o: ReportOptions, at, given: dict, fb: Feedback, written: list) -> ReportFiles:
    from heatgis.analysis.impact import ImpactEngine
    from heatgis.export.pdf import ensure_gui_app, write_pdf, write_png
    from heatgis.export.xlsx import write_report_xlsx
    from heatgis.model.project import parse_time
    from heatgis.render.layout import PageSpec

    spec = PageSpec(o.paper, o.landscape, o.dpi)
    if o.atlas not in (None, "zones", "districts"):
        from heatgis.export.pages import ATLAS_FIX, atlas_unknown

        raise HeatGISError(atlas_unknown(o.atlas), ATLAS_FIX)
    _out_folder(out)
    ensure_gui_app()
    at = parse_time(at) if at is not None else project.reference_time
    if at is None:
        raise HeatGISError(
            Text("the project has no reference time", "项目没有参考时间"),
            Text("give the time with --at 2022-02-25T08:00", "用 --at 2022-02-25T08:00 给出时间"),
            file=project.path,
        )
    if o.district:
        from heatgis.export import pages as PG

        PG.district_geometry(project, o.district)  # fail early on an unknown name
    _step(fb, 0.05, Text("impact", "影响"))
    engine = ImpactEngine(project)
    result = given["result"]
    if result is None:
        result = engine.compute(project.layer("lockdown_zones"), at)
    change = _change(project, engine, result, at, o, out)
    notes: list = []
    staffing, ops_plan, crew_plan, heat = _plans(project, engine, at, o, given, fb, notes)
    _step(fb, 0.45, Text("map", "地图"))
    renderer, pages = _map_pages(project, result, o, given, staffing, crew_plan, heat, change)
    page = pages[0]
    pdf = write_pdf(pages, spec, out / "map.pdf", renderer, feedback=fb.sub(45, 70))
    written.append(pdf)
    _step(fb, 0.7, Text("picture", "图片"))
    png = write_png(page, spec, out / "map.png", renderer)
    written.append(png)
    _step(fb, 0.75, Text("workbook", "工作簿"))
    quality = given["quality"]
    if quality is None:
        from heatgis.analysis.quality import check_project

        quality = check_project(project)
    xlsx = write_report_xlsx(
        result,
        out / "report.xlsx",
        staffing=staffing,
        crew_plan=crew_plan,
        heat=heat,
        ops_plan=ops_plan,
        quality=quality,
        change=change,
        lang=o.lang,
    )
    written.append(xlsx)
    _step(fb, 0.85, _SLIDES)
    decisions, pptx = _deck(
        project, engine, result, at, o, out, fb, renderer, page, staffing, crew_plan, heat, ops_plan, change, quality
    )
    written.append(pptx)
    files = ReportFiles(
        pdf, png, xlsx, pptx, len(pages), result, staffing, crew_plan, notes, heat, ops_plan, change, decisions
    )
    if o.record:
        files.record = _record(project, files, change, o, given.get("data"))
    fb.set_progress(100.0, Text("done", "完成"))
    return files


_SLIDES = Text("slides", "幻灯片")


def _step(fb: Feedback, fraction: float, message: Text) -> None:
    """One step of the report: a chance to cancel, then the progress."""
    fb.check("the report")
    fb.set_progress(100.0 * fraction, message)


def _out_folder(out: Path) -> None:
    """The output folder exists (made if need be) and can be written, or a clear error."""
    from heatgis.export.files import WRITABLE_FIX, check_writable

    if out.exists() and not out.is_dir():
        raise HeatGISError(
            Text("{out} is a file, not a folder", "{out} 是一个文件，不是文件夹", out=out),
            Text("give a folder with --out", "用 --out 给出一个文件夹"),
            file=out,
        )
    if not out.exists():
        try:
            out.mkdir(parents=True)
        except OSError as exc:
            raise HeatGISError(
                Text(
                    "the folder {out} cannot be created ({err})",
                    "无法新建文件夹 {out}（{err}）",
                    out=out,
                    err=exc.strerror,
                ),
                WRITABLE_FIX,
                file=out,
            ) from exc
    check_writable(out / "map.pdf")


def _plans(project, engine, at, o: ReportOptions, given: dict, fb: Feedback, notes: list):
    """The plans the report shows: those given, the rest planned here (``o.plans``), and the heat
    outlook when the project has weather. Plan failures the report can do without go to ``notes``.
    """
    staffing, ops_plan, crew_plan, heat = (given[k] for k in ("staffing", "ops_plan", "crew_plan", "heat"))
    if o.plans and staffing is None:
        from heatgis.analysis.staffing import plan_staffing

        _step(fb, 0.1, Text("staffing plan", "驻守安排"))
        staffing = plan_staffing(project, at, engine=engine, feedback=fb.sub(10, 25))
    if o.plans and ops_plan is None and _has_crew_members(project):
        from heatgis.routing.ops import plan_operations

        _step(fb, 0.25, Text("crews' operations plan", "抢修队值班计划"))
        try:
            ops_plan = plan_operations(project, at=at, hours=24, time_limit=o.time_limit, feedback=fb.sub(25, 40))
        except HeatGISError as exc:
            notes.append(exc.problem)
    if o.plans and crew_plan is None:  # one planner: the shift of the crews' plan, else the duty list's visits
        from heatgis.routing.opsplan import shift_view
        from heatgis.routing.planner import plan_routes

        _step(fb, 0.35, Text("crew plan", "抢修队路线计划"))
        crew_plan = (
            shift_view(ops_plan)
            if ops_plan is not None
            else plan_routes(project, at=at, time_limit=o.time_limit, feedback=fb.sub(35, 40))
        )
    if heat is None and project.has("weather") and len(project.layer("weather")):
        from heatgis.analysis.heat_risk import heat_outlook

        _step(fb, 0.4, Text("heat balance", "供热平衡"))
        try:
            heat = heat_outlook(
                project, at=at, hours=o.heat_hours, engine=engine, crew_plan=crew_plan, staffing=o.plans
            )
        except HeatGISError as exc:
            notes.append(exc.problem)
    return staffing, ops_plan, crew_plan, heat


def _map_pages(project, result, o: ReportOptions, given: dict, staffing, crew_plan, heat, change):
    """The renderer (the caller's, with the plans made here added, or a new one) and the pages:
    the situation page with the KPI changes first, then the atlas."""
    from heatgis.export import pages as PG

    renderer = given["renderer"]
    if renderer is None:  # the plans go on the printed map too (the caller's renderer has its own)
        renderer = PG.map_renderer(project, result, lang=o.lang, staffing=staffing, crew_plan=crew_plan)
        _set_basemap(renderer, project, o)
    else:  # the caller's renderer shows its own plans; those planned here are added to it
        renderer.overlays = list(renderer.overlays) + PG.plan_overlays(
            project,
            *(None if given[k] is not None else v for k, v in (("staffing", staffing), ("crew_plan", crew_plan))),
        )
    page = PG.situation_page(
        project,
        result,
        renderer,
        extent=o.extent,
        district=o.district,
        title=o.title,
        subtitle=o.subtitle,
        lang=o.lang,
        heat=heat,
    )
    page.kpi_changes = _kpi_changes(change, o.lang)
    if not page.highlight:  # the city page: the zones that began or ended since, under the subtitle
        page.highlight = _zones_line(change, o.lang)
    pages = [page]
    if o.atlas:
        pages += PG.atlas_pages(project, result, renderer, o.atlas, title=o.title, lang=o.lang, all_zones=o.atlas_all)
    return renderer, pages


def _deck(
    project, engine, result, at, o, out, fb, renderer, page, staffing, crew_plan, heat, ops_plan, change, quality
):
    """The briefing deck with its own pictures (timeline, heat, a 16:9 map, district bars), made in
    the output folder and removed after; returns the decisions it lists and the deck's path."""
    from heatgis.analysis.timeline import timeline
    from heatgis.export import briefing as B
    from heatgis.export.charts import timeline_chart
    from heatgis.export.pptx import write_briefing_pptx

    tl = timeline(project, engine=engine)
    chart = out / ".timeline.png"
    timeline_chart(tl, at, lang=o.lang).save(str(chart), "PNG")
    heat_png = None
    if heat is not None:
        from heatgis.export.charts import heat_chart

        heat_png = out / ".heat.png"
        heat_chart(heat.networks, heat.coldest_time, heat.coldest_c, lang=o.lang).save(str(heat_png), "PNG")
    slide_map, district_png = out / ".slide_map.png", out / ".districts.png"
    decisions = B.decision_items(
        staffing, ops_plan, heat, [*B.open_issues(project), *o.decisions], quality=quality, lang=o.lang
    )
    try:
        B.slide_map_png(renderer, page.extent, slide_map, o.lang)
        B.district_chart(result.by_district, lang=o.lang).save(str(district_png), "PNG")
        _step(fb, 0.9, _SLIDES)
        pptx = write_briefing_pptx(
            result,
            out / "briefing.pptx",
            slide_map,
            chart,
            staffing,
            crew_plan,
            title=page.title,
            subtitle=page.subtitle,
            lang=o.lang,
            heat=heat,
            heat_png=heat_png,
            ops_plan=ops_plan,
            change=change,
            decisions=decisions,
            district_png=district_png,
        )
    finally:
        for f in (chart, heat_png, slide_map, district_png):
            if f is not None:
                f.unlink(missing_ok=True)
    return decisions, pptx


def _change(project, engine, result, at, o: ReportOptions, out: Path):
    """The change the briefing leads with: since ``o.since`` (see ``ReportOptions``)."""
    from heatgis.analysis.change import change_since

    if o.since is None:
        return change_since(project, at, engine=engine, result=result)
    if str(o.since).strip().lower() in ("published", "last"):
        from heatgis.export.published import last_record

        rec = last_record(project, out, before=at)
        if rec is None:  # nothing published before: a day earlier
            return change_since(project, at, engine=engine, result=result)
        return change_since(project, at, rec["at"], engine=engine, result=result, basis="published")
    return change_since(project, at, o.since, engine=engine, result=result)


def _kpi_changes(change, lang: str) -> list:
    from heatgis.export.briefing import kpi_changes

    return kpi_changes(change, lang)


def _zones_line(change, lang: str) -> str:
    from heatgis.export.briefing import zones_line

    return zones_line(change, lang)


def _set_basemap(renderer, project, o: ReportOptions) -> None:
    if o.basemap:
        from heatgis.render.basemap import Basemap

        renderer.set_basemap(Basemap(o.basemap, project.crs, gcj02=o.basemap_gcj02))


def _record(project, files: ReportFiles, change, o: ReportOptions, data) -> dict:
    """What this report published, appended to the folder's ``published.json``."""
    from heatgis.export.published import make_record, write_sidecar

    rec = make_record(files, project, change, data=data, lang=o.lang)
    write_sidecar(Path(files.xlsx).parent, rec)
    return rec


def _has_crew_members(project) -> bool:
    """Staff with a crew: the crews' operations plan can be made."""
    if not project.has("staff") or not project.has("crews"):
        return False
    staff = project.layer("staff")
    return "crew_id" in staff.columns and bool(staff["crew_id"].fillna("").astype(str).str.strip().ne("").any())


def _check(cancel) -> None:
    if cancel is not None and cancel():
        from heatgis.errors import Cancelled

        raise Cancelled("the report was cancelled")
