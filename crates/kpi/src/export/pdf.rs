//! PDF (pdf-writer): an A4 report in Helvetica, a font every reader has, so nothing is
//! embedded. The heading, the key figures as cards, the charts as bar charts two by two, then
//! the tables, which continue across pages with their header repeated; every page's footer
//! names the company, when the report was computed, and the page. Text is measured with the
//! font's metrics to right-align numbers, cut what does not fit with "…", and wrap paragraphs.
//! Content streams stay uncompressed: they are small, and tests can search them.

use gmao_domain::Locale;
use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::Error;
use super::helvetica::{self, Face, encode};
use crate::document::{
    Chart, Document, KeyFigure, Table, Trend, format_change, format_number, format_value,
};
use crate::report::Unit;

const PAGE_WIDTH: f32 = 595.0;
const PAGE_HEIGHT: f32 = 842.0;
const MARGIN: f32 = 40.0;
/// The width between the margins, which every block spans.
const WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
const TOP: f32 = PAGE_HEIGHT - MARGIN;
/// The body stops here; the footer sits below.
const BOTTOM: f32 = MARGIN + 24.0;
/// More than any report needs; keeps object numbers well within a PDF's range.
const MAX_PAGES: i32 = 100_000;

#[derive(Debug, Clone, Copy)]
struct Rgb(f32, f32, f32);

const INK: Rgb = Rgb(0.16, 0.18, 0.21);
const MUTED: Rgb = Rgb(0.42, 0.45, 0.49);
const ACCENT: Rgb = Rgb(0.13, 0.38, 0.66);
const GOOD: Rgb = Rgb(0.09, 0.5, 0.25);
const BAD: Rgb = Rgb(0.76, 0.17, 0.15);
const RULE: Rgb = Rgb(0.84, 0.86, 0.88);
const SHADE: Rgb = Rgb(0.94, 0.95, 0.96);

/// How a piece of text is drawn.
#[derive(Debug, Clone, Copy)]
struct Style {
    face: Face,
    size: f32,
    color: Rgb,
}

const TITLE: Style = Style::new(Face::Bold, 18.0, ACCENT);
const COMPANY: Style = Style::new(Face::Bold, 11.0, INK);
const PERIOD: Style = Style::new(Face::Regular, 10.0, INK);
const NOTE: Style = Style::new(Face::Regular, 8.5, MUTED);
const CARD_LABEL: Style = Style::new(Face::Bold, 8.5, MUTED);
const CARD_VALUE: Style = Style::new(Face::Bold, 20.0, INK);
const CARD_NOTE: Style = Style::new(Face::Regular, 7.5, MUTED);
const CARD_DETAIL: Style = Style::new(Face::Regular, 7.0, MUTED);
const CHART_TITLE: Style = Style::new(Face::Bold, 9.5, INK);
const AXIS: Style = Style::new(Face::Regular, 6.5, MUTED);
const TABLE_TITLE: Style = Style::new(Face::Bold, 11.0, ACCENT);
const HEAD: Style = Style::new(Face::Bold, 8.0, INK);
const CELL: Style = Style::new(Face::Regular, 8.0, INK);
const FOOTER: Style = Style::new(Face::Regular, 7.5, MUTED);

impl Style {
    const fn new(face: Face, size: f32, color: Rgb) -> Style {
        Style { face, size, color }
    }

    fn width(self, bytes: &[u8]) -> f32 {
        helvetica::width(self.face, self.size, bytes)
    }

    fn fit(self, bytes: &[u8], max: f32) -> Vec<u8> {
        helvetica::fit(self.face, self.size, bytes, max)
    }

    fn wrap(self, bytes: &[u8], max: f32, max_lines: usize) -> Vec<Vec<u8>> {
        helvetica::wrap(self.face, self.size, bytes, max, max_lines)
    }

    /// Draws `bytes` (WinAnsi) with their baseline starting at (`x`, `y`).
    fn draw(self, page: &mut Content, (x, y): (f32, f32), bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let Rgb(r, g, b) = self.color;
        page.begin_text();
        page.set_font(font_name(self.face), self.size);
        page.set_fill_rgb(r, g, b);
        page.next_line(x, y);
        page.show(Str(bytes));
        page.end_text();
    }

    /// Draws `bytes` so that they end at `right`.
    fn draw_right(self, page: &mut Content, (right, y): (f32, f32), bytes: &[u8]) {
        self.draw(page, (right - self.width(bytes), y), bytes);
    }
}

fn font_name(face: Face) -> Name<'static> {
    match face {
        Face::Regular => Name(b"F1"),
        Face::Bold => Name(b"F2"),
    }
}

fn fill(page: &mut Content, (x, y): (f32, f32), (width, height): (f32, f32), color: Rgb) {
    let Rgb(r, g, b) = color;
    page.set_fill_rgb(r, g, b);
    page.rect(x, y, width, height);
    page.fill_nonzero();
}

/// A horizontal rule `length` long from (`x`, `y`).
fn hline(page: &mut Content, (x, y): (f32, f32), length: f32, width: f32, color: Rgb) {
    let Rgb(r, g, b) = color;
    page.set_stroke_rgb(r, g, b);
    page.set_line_width(width);
    page.move_to(x, y);
    page.line_to(x + length, y);
    page.stroke();
}

fn pick(locale: Locale, fr: &'static str, en: &'static str) -> &'static str {
    match locale {
        Locale::Fr => fr,
        Locale::En => en,
    }
}

fn no_data(locale: Locale) -> &'static str {
    pick(locale, "Aucune donnée", "No data")
}

/// Writes `doc` as an A4 PDF.
pub fn document(doc: &Document) -> Result<Vec<u8>, Error> {
    let mut canvas = Canvas::new();
    heading(&mut canvas, doc);
    key_figures(&mut canvas, doc.locale, &doc.key_figures);
    charts(&mut canvas, doc.locale, &doc.charts);
    for t in &doc.tables {
        table(&mut canvas, doc.locale, t);
    }
    let mut pages = canvas.pages();
    let total = pages.len();
    for (i, page) in pages.iter_mut().enumerate() {
        footer(page, doc, i + 1, total);
    }
    write(doc, pages)
}

/// The file around the pages: catalog, page tree, the two fonts and the document's info.
fn write(doc: &Document, pages: Vec<Content>) -> Result<Vec<u8>, Error> {
    let count = i32::try_from(pages.len()).ok().filter(|&n| n <= MAX_PAGES);
    let count = count.ok_or_else(|| Error::Io(std::io::Error::other("too many pages")))?;
    // Objects 1 to 5 are fixed; page n is object 6 + 2n, its content 7 + 2n.
    let [catalog, tree, info, regular, bold] = [1, 2, 3, 4, 5].map(Ref::new);
    let page_ref = |n: i32| Ref::new(6 + 2 * n);
    let mut pdf = Pdf::new();
    let lang = pick(doc.locale, "fr", "en");
    pdf.catalog(catalog).pages(tree).lang(TextStr(lang));
    pdf.pages(tree).kids((0..count).map(page_ref)).count(count);
    for (n, content) in (0..count).zip(pages) {
        let content_ref = Ref::new(7 + 2 * n);
        let mut page = pdf.page(page_ref(n));
        page.media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT));
        page.parent(tree).contents(content_ref);
        page.resources()
            .fonts()
            .pair(font_name(Face::Regular), regular)
            .pair(font_name(Face::Bold), bold);
        page.finish();
        pdf.stream(content_ref, &content.finish());
    }
    for (id, face) in [(regular, Face::Regular), (bold, Face::Bold)] {
        let encoding = Name(b"WinAnsiEncoding");
        let mut font = pdf.type1_font(id);
        font.base_font(Name(face.base_font()));
        font.encoding_predefined(encoding);
    }
    let mut about = pdf.document_info(info);
    about.title(TextStr(&doc.title));
    about.creator(TextStr("gmao"));
    about.finish();
    Ok(pdf.finish())
}

/// The pages written so far and the one being written; `y` is where the next block starts.
struct Canvas {
    done: Vec<Content>,
    page: Content,
    y: f32,
}

impl Canvas {
    fn new() -> Canvas {
        let page = Content::new();
        Canvas {
            done: Vec::new(),
            page,
            y: TOP,
        }
    }

    fn new_page(&mut self) {
        let full = std::mem::replace(&mut self.page, Content::new());
        self.done.push(full);
        self.y = TOP;
    }

    /// Starts a new page unless a block `height` tall fits on this one (a block taller than
    /// a page goes on as it can rather than leaving a blank page).
    fn ensure(&mut self, height: f32) {
        if self.y - height < BOTTOM && self.y < TOP {
            self.new_page();
        }
    }

    /// Moves down `leading` and writes a line at the left margin.
    fn line(&mut self, leading: f32, style: Style, bytes: &[u8]) {
        self.y -= leading;
        style.draw(&mut self.page, (MARGIN, self.y), bytes);
    }

    /// A rule across the body, at `y`.
    fn rule(&mut self, width: f32, color: Rgb) {
        hline(&mut self.page, (MARGIN, self.y), WIDTH, width, color);
    }

    fn pages(mut self) -> Vec<Content> {
        self.done.push(self.page);
        self.done
    }
}

/// Title, company, period and filters, then a rule.
fn heading(canvas: &mut Canvas, doc: &Document) {
    for line in TITLE.wrap(&encode(&doc.title), WIDTH, 3) {
        canvas.line(22.0, TITLE, &line);
    }
    canvas.line(20.0, COMPANY, &COMPANY.fit(&encode(&doc.company), WIDTH));
    canvas.line(15.0, PERIOD, &PERIOD.fit(&encode(&doc.period), WIDTH));
    for line in NOTE.wrap(&encode(&filters(doc)), WIDTH, usize::MAX) {
        canvas.line(13.0, NOTE, &line);
    }
    canvas.y -= 10.0;
    canvas.rule(1.0, ACCENT);
    canvas.y -= 16.0;
}

/// "Site : Lyon · Type : Pompe", French putting a no-break space before the colon.
fn filters(doc: &Document) -> String {
    if doc.filters.is_empty() {
        return pick(doc.locale, "Aucun filtre", "No filters").to_owned();
    }
    let colon = pick(doc.locale, "\u{a0}:", ":");
    let pairs: Vec<String> = doc
        .filters
        .iter()
        .map(|(label, value)| format!("{label}{colon} {value}"))
        .collect();
    pairs.join("  ·  ")
}

const CARDS_PER_ROW: usize = 3;
const CARD_GAP: f32 = 10.0;
const CARD_HEIGHT: f32 = 84.0;

/// The key figures as cards, three to a row.
fn key_figures(canvas: &mut Canvas, locale: Locale, figures: &[KeyFigure]) {
    let gaps = CARD_GAP * (CARDS_PER_ROW - 1) as f32;
    let width = (WIDTH - gaps) / CARDS_PER_ROW as f32;
    for row in figures.chunks(CARDS_PER_ROW) {
        canvas.ensure(CARD_HEIGHT);
        for (i, figure) in row.iter().enumerate() {
            let x = MARGIN + i as f32 * (width + CARD_GAP);
            card(&mut canvas.page, (x, canvas.y), width, locale, figure);
        }
        canvas.y -= CARD_HEIGHT + CARD_GAP;
    }
    canvas.y -= 8.0;
}

/// One key figure: label, value, change against the previous period, how it is computed.
fn card(page: &mut Content, (x, top): (f32, f32), width: f32, locale: Locale, figure: &KeyFigure) {
    let bottom = top - CARD_HEIGHT;
    fill(page, (x, bottom), (width, CARD_HEIGHT), SHADE);
    fill(page, (x, bottom), (3.0, CARD_HEIGHT), ACCENT);
    let (left, room) = (x + 12.0, width - 20.0);
    let label = CARD_LABEL.fit(&encode(&figure.label), room);
    CARD_LABEL.draw(page, (left, top - 16.0), &label);
    let value = encode(&format_value(locale, figure.value, figure.unit));
    CARD_VALUE.draw(page, (left, top - 40.0), &CARD_VALUE.fit(&value, room));
    change(page, (left, top - 55.0), room, locale, figure);
    let detail = CARD_DETAIL.wrap(&encode(&figure.detail), room, 2);
    for (i, line) in detail.iter().enumerate() {
        CARD_DETAIL.draw(page, (left, top - 67.0 - 8.5 * i as f32), line);
    }
}

/// "+1,2 pt vs période précédente", green when good news, red when bad; "—" with nothing
/// to compare.
fn change(page: &mut Content, (x, y): (f32, f32), room: f32, locale: Locale, figure: &KeyFigure) {
    let color = match figure.trend() {
        Trend::Better => GOOD,
        Trend::Worse => BAD,
        Trend::Flat | Trend::Unknown => MUTED,
    };
    let style = Style::new(Face::Bold, 8.5, color);
    let Some(change) = figure.change() else {
        style.draw(page, (x, y), &encode("—"));
        return;
    };
    let amount = encode(&format_change(locale, change, figure.unit));
    let amount = style.fit(&amount, room);
    style.draw(page, (x, y), &amount);
    let used = style.width(&amount) + 4.0;
    let against = encode(pick(locale, "vs période précédente", "vs previous period"));
    if used < room {
        let against = CARD_NOTE.fit(&against, room - used);
        CARD_NOTE.draw(page, (x + used, y), &against);
    }
}

const CHART_GAP: f32 = 24.0;
const CHART_HEIGHT: f32 = 160.0;

/// The charts, two to a row.
fn charts(canvas: &mut Canvas, locale: Locale, charts: &[Chart]) {
    let width = (WIDTH - CHART_GAP) / 2.0;
    for pair in charts.chunks(2) {
        canvas.ensure(CHART_HEIGHT);
        for (i, chart) in pair.iter().enumerate() {
            let x = MARGIN + i as f32 * (width + CHART_GAP);
            bar_chart(&mut canvas.page, (x, canvas.y), width, locale, chart);
        }
        canvas.y -= CHART_HEIGHT + 16.0;
    }
}

/// Where bars are drawn, in page points.
#[derive(Debug, Clone, Copy)]
struct Plot {
    left: f32,
    bottom: f32,
    width: f32,
    height: f32,
    /// The value at the top of the axis.
    top_value: f64,
}

impl Plot {
    fn y(&self, value: f64) -> f32 {
        self.bottom + self.height * (value.max(0.0) / self.top_value).min(1.0) as f32
    }
}

/// A bar chart whose top-left corner is (`x`, `top`): title, gridlines labelled on the left,
/// one bar per period that has a value, and period labels under them.
fn bar_chart(page: &mut Content, (x, top): (f32, f32), width: f32, locale: Locale, chart: &Chart) {
    let title = CHART_TITLE.fit(&encode(&chart.title), width);
    CHART_TITLE.draw(page, (x, top - 10.0), &title);
    let max = chart.points.iter().filter_map(|p| p.1).fold(0.0, f64::max);
    let (step, top_value) = axis(chart.unit, max);
    let decimals = (-step.log10().floor()).max(0.0) as u8;
    let ticks: Vec<(f64, Vec<u8>)> = (0..=(top_value / step).round() as usize)
        .map(|k| step * k as f64)
        .map(|v| (v, encode(&format_number(locale, v, decimals))))
        .collect();
    let labels = ticks.iter().map(|t| AXIS.width(&t.1)).fold(0.0, f32::max);
    let left = x + labels + 5.0;
    let plot = Plot {
        left,
        bottom: top - CHART_HEIGHT + 14.0,
        width: x + width - left,
        height: CHART_HEIGHT - 40.0,
        top_value,
    };
    for (i, (value, label)) in ticks.iter().enumerate() {
        let y = plot.y(*value);
        let color = if i == 0 { MUTED } else { RULE };
        hline(page, (plot.left, y), plot.width, 0.5, color);
        AXIS.draw_right(page, (plot.left - 4.0, y - 2.2), label);
    }
    if chart.points.iter().all(|p| p.1.is_none()) {
        let none = encode(no_data(locale));
        let centre = plot.left + (plot.width - AXIS.width(&none)) / 2.0;
        // Between gridlines (at 0, ½ and 1, or at quarters), not on one.
        let y = plot.bottom + plot.height * 0.375 - 2.3;
        AXIS.draw(page, (centre, y), &none);
    }
    bars(page, &plot, chart);
    period_labels(page, &plot, chart);
}

/// The step between gridlines and the top of the axis: 0–100 for percentages, else a round
/// number (1, 2 or 5 × 10ⁿ per step, whole orders) at or just above the largest value.
fn axis(unit: Unit, max: f64) -> (f64, f64) {
    if unit == Unit::Percent && max <= 100.0 {
        return (25.0, 100.0);
    }
    let max = if max > 0.0 { max } else { 1.0 };
    let rough = max / 4.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let mut step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|&s| s >= rough * (1.0 - 1e-9))
        .unwrap_or(10.0 * magnitude);
    if unit == Unit::Orders {
        step = step.max(1.0);
    }
    (step, (max / step - 1e-9).ceil().max(1.0) * step)
}

fn bars(page: &mut Content, plot: &Plot, chart: &Chart) {
    let slot = plot.width / chart.points.len().max(1) as f32;
    let bar = (slot * 0.7).min(24.0);
    for (i, (_, value)) in chart.points.iter().enumerate() {
        if let Some(value) = value {
            let centre = plot.left + slot * (i as f32 + 0.5);
            let height = plot.y(*value) - plot.bottom;
            fill(
                page,
                (centre - bar / 2.0, plot.bottom),
                (bar, height),
                ACCENT,
            );
        }
    }
}

/// The periods under the bars; with many, only every k-th so that labels never overlap.
fn period_labels(page: &mut Content, plot: &Plot, chart: &Chart) {
    let labels: Vec<Vec<u8>> = chart.points.iter().map(|p| encode(&p.0)).collect();
    let slot = plot.width / labels.len().max(1) as f32;
    let widest = labels.iter().map(|l| AXIS.width(l)).fold(0.0, f32::max);
    let every = ((widest.min(70.0) + 6.0) / slot).ceil().max(1.0) as usize;
    let mut free_from = f32::MIN;
    for (i, label) in labels.iter().enumerate().step_by(every) {
        let label = AXIS.fit(label, slot * every as f32 - 6.0);
        let width = AXIS.width(&label);
        let centre = plot.left + slot * (i as f32 + 0.5);
        // Kept within the chart, which may push a label onto the next: then it is skipped.
        let x = (centre - width / 2.0)
            .min(plot.left + plot.width - width)
            .max(plot.left - 12.0);
        if x >= free_from {
            AXIS.draw(page, (x, plot.bottom - 9.0), &label);
            free_from = x + width + 4.0;
        }
    }
}

const PAD: f32 = 5.0;
const ROW_HEIGHT: f32 = 15.0;
const HEAD_LEADING: f32 = 10.0;

/// A table placed on the page: its columns and the height of its header.
struct Grid {
    columns: Vec<Placed>,
    header_height: f32,
}

/// A column placed on the page, with its header's lines.
struct Placed {
    x: f32,
    width: f32,
    numeric: bool,
    header: Vec<Vec<u8>>,
}

impl Placed {
    /// Writes `bytes` in this column, cut to fit, numbers against the right edge.
    fn write(&self, page: &mut Content, y: f32, style: Style, bytes: &[u8]) {
        let bytes = style.fit(bytes, self.width - 2.0 * PAD);
        if self.numeric {
            style.draw_right(page, (self.x + self.width - PAD, y), &bytes);
        } else {
            style.draw(page, (self.x + PAD, y), &bytes);
        }
    }
}

impl Grid {
    /// The shaded header, its labels wrapped.
    fn header(&self, canvas: &mut Canvas) {
        let (y, height) = (canvas.y, self.header_height);
        fill(
            &mut canvas.page,
            (MARGIN, y - height),
            (WIDTH, height),
            SHADE,
        );
        for column in &self.columns {
            for (i, line) in column.header.iter().enumerate() {
                let baseline = y - 11.5 - HEAD_LEADING * i as f32;
                column.write(&mut canvas.page, baseline, HEAD, line);
            }
        }
        canvas.y -= height;
    }
}

/// A table: its title, a shaded header, rows with thin rules between them. It goes on across
/// pages with its title and header repeated; with no rows, it says so.
fn table(canvas: &mut Canvas, locale: Locale, table: &Table) {
    let title = encode(&table.title);
    let rows: Vec<Vec<Vec<u8>>> = table
        .rows
        .iter()
        .map(|row| row.iter().map(|c| encode(&c.display(locale))).collect())
        .collect();
    let grid = grid(table, &rows);
    canvas.ensure(26.0 + grid.header_height + ROW_HEIGHT);
    table_title(canvas, &title);
    if rows.is_empty() {
        canvas.line(10.0, NOTE, &encode(no_data(locale)));
        canvas.y -= 20.0;
        return;
    }
    grid.header(canvas);
    for row in &rows {
        if canvas.y - ROW_HEIGHT < BOTTOM {
            canvas.new_page();
            let more = encode(pick(locale, " (suite)", " (continued)"));
            let title = TABLE_TITLE.fit(&title, WIDTH - TABLE_TITLE.width(&more));
            table_title(canvas, &[title, more].concat());
            grid.header(canvas);
        }
        for (column, cell) in grid.columns.iter().zip(row) {
            column.write(&mut canvas.page, canvas.y - 10.3, CELL, cell);
        }
        canvas.y -= ROW_HEIGHT;
        canvas.rule(0.4, RULE);
    }
    canvas.y -= 20.0;
}

fn table_title(canvas: &mut Canvas, title: &[u8]) {
    canvas.line(14.0, TABLE_TITLE, &TABLE_TITLE.fit(title, WIDTH));
    canvas.y -= 6.0;
}

/// Places the columns, as wide as their content and fitted to the page.
fn grid(table: &Table, rows: &[Vec<Vec<u8>>]) -> Grid {
    let labels: Vec<Vec<u8>> = table.columns.iter().map(|c| encode(&c.label)).collect();
    let (natural, least): (Vec<f32>, Vec<f32>) = (labels.iter().enumerate())
        .map(|(i, label)| column_widths(label, rows, i))
        .unzip();
    let mut x = MARGIN;
    let mut columns = Vec::new();
    for ((column, label), width) in table
        .columns
        .iter()
        .zip(&labels)
        .zip(fitted(&natural, &least))
    {
        let header = HEAD.wrap(label, width - 2.0 * PAD, 3);
        let numeric = column.numeric;
        columns.push(Placed {
            x,
            width,
            numeric,
            header,
        });
        x += width;
    }
    let lines = columns.iter().map(|c| c.header.len()).max().unwrap_or(1);
    let header_height = HEAD_LEADING * lines.max(1) as f32 + 8.0;
    Grid {
        columns,
        header_height,
    }
}

/// Column `i`'s natural width (its header or its widest cell, capped so that one long text
/// does not take the page) and its least (its header wrapped at every space).
fn column_widths(label: &[u8], rows: &[Vec<Vec<u8>>], i: usize) -> (f32, f32) {
    let cells = rows.iter().filter_map(|row| row.get(i));
    let content = cells.map(|c| CELL.width(c)).fold(0.0, f32::max);
    let words = label.split(|&b| b == b' ').map(|w| HEAD.width(w));
    let word = words.fold(0.0, f32::max);
    let natural = (content.max(HEAD.width(label)) + 2.0 * PAD).min(WIDTH * 0.4);
    (natural, (content.max(word) + 2.0 * PAD).min(natural))
}

/// Widths spanning the page: natural ones stretched when the table is narrow; when it is too
/// wide, headers wrap first, and only then are the widest columns cut.
fn fitted(natural: &[f32], least: &[f32]) -> Vec<f32> {
    let (sum_natural, sum_least) = (natural.iter().sum::<f32>(), least.iter().sum::<f32>());
    if sum_natural <= WIDTH {
        natural.iter().map(|w| w * WIDTH / sum_natural).collect()
    } else if sum_least <= WIDTH {
        let t = (WIDTH - sum_least) / (sum_natural - sum_least);
        let between = |(l, n): (&f32, &f32)| l + t * (n - l);
        least.iter().zip(natural).map(between).collect()
    } else {
        let cap = widest_allowed(least);
        least.iter().map(|w| w.min(cap)).collect()
    }
}

/// The widest a column may be for all of `widths` to fit in the page, narrower columns keeping
/// their width.
fn widest_allowed(widths: &[f32]) -> f32 {
    let mut sorted = widths.to_vec();
    sorted.sort_by(f32::total_cmp);
    let mut left = WIDTH;
    for (i, width) in sorted.iter().enumerate() {
        let share = left / (sorted.len() - i) as f32;
        if *width > share {
            return share;
        }
        left -= width;
    }
    f32::MAX
}

/// "Acme · Généré le 12/03/2026 10:05" on the left, "Page 1 / 3" on the right, under a rule.
fn footer(page: &mut Content, doc: &Document, number: usize, total: usize) {
    hline(page, (MARGIN, MARGIN + 11.0), WIDTH, 0.5, RULE);
    let number = encode(&format!("Page {number} / {total}"));
    FOOTER.draw_right(page, (MARGIN + WIDTH, MARGIN), &number);
    let generated = pick(doc.locale, "Généré le", "Generated");
    let left = format!("{}  ·  {generated} {}", doc.company, doc.generated_at);
    let left = FOOTER.fit(&encode(&left), WIDTH - FOOTER.width(&number) - 20.0);
    FOOTER.draw(page, (MARGIN, MARGIN), &left);
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::document::{Cell, Column};

    type Outcome = Result<(), Box<dyn std::error::Error>>;

    fn figure(key: &'static str, value: f64, previous: Option<f64>) -> KeyFigure {
        KeyFigure {
            key,
            label: key.to_uppercase(),
            value: Some(value),
            previous,
            unit: Unit::Hours,
            higher_is_better: key == "mtbf",
            detail: "743,0\u{a0}h de fonctionnement / 3 pannes".to_owned(),
        }
    }

    fn table(title: &str, columns: &[(&str, bool)], rows: Vec<Vec<Cell>>) -> Table {
        let column = |&(label, numeric): &(&str, bool)| Column {
            label: label.to_owned(),
            numeric,
        };
        let columns = columns.iter().map(column).collect();
        let title = title.to_owned();
        Table {
            title,
            columns,
            rows,
        }
    }

    fn text(text: &str) -> Cell {
        Cell::Text(text.to_owned())
    }

    /// Two key figures, a chart of 40 weeks with a gap, a table of 120 rows and one with a
    /// name a spreadsheet would run and accented text.
    fn sample() -> Document {
        let week = |i: u32| {
            let value = (i != 7).then_some(f64::from(i % 9) * 6.0 + 50.0);
            (format!("S{:02} 2026", i + 1), value)
        };
        let order = |i: u32| {
            let name = format!("Pompe de relevage n° {i}");
            let downtime = Cell::Number(f64::from(i) * 10.25, 1);
            vec![
                text(&format!("EQ-{i:03}")),
                text(&name),
                downtime,
                Cell::Number(f64::from(i % 7), 0),
            ]
        };
        let downtime = [
            ("Code", false),
            ("Équipement", false),
            ("Arrêt (h)", true),
            ("Pannes", true),
        ];
        let repeats = vec![vec![text("=cmd"), text("Arrêt réparé — 12 €")]];
        let chart = Chart {
            title: "Disponibilité (%)".to_owned(),
            unit: Unit::Percent,
            points: (0..40).map(week).collect(),
        };
        Document {
            locale: Locale::Fr,
            title: "Indicateurs de maintenance — Usine de Lyon".to_owned(),
            company: "Acme Industrie".to_owned(),
            period: "mars 2026".to_owned(),
            from: DateTime::<Utc>::default(),
            to: DateTime::<Utc>::default(),
            filters: vec![("Site".to_owned(), "Lyon".to_owned())],
            generated_at: "01/04/2026 08:00".to_owned(),
            key_figures: vec![
                figure("mtbf", 1234.5, Some(1100.0)),
                figure("mttr", 3.5, None),
            ],
            charts: vec![chart],
            tables: vec![
                table("Plus d'arrêt", &downtime, (0..120).map(order).collect()),
                table(
                    "Pannes répétées",
                    &[("Équipement", false), ("Problème", false)],
                    repeats,
                ),
            ],
        }
    }

    /// Whether `pdf` draws `text`: pdf-writer writes ASCII strings as they are, others in
    /// hexadecimal.
    fn shows(pdf: &[u8], text: &str) -> bool {
        let bytes = encode(text);
        let needle: Vec<u8> = if bytes.is_ascii() {
            bytes
        } else {
            bytes
                .iter()
                .flat_map(|b| format!("{b:02X}").into_bytes())
                .collect()
        };
        pdf.windows(needle.len()).any(|w| w == needle.as_slice())
    }

    fn page_count(pdf: &[u8]) -> usize {
        let marker = b"/Type /Page";
        let at =
            |i: usize| pdf[i..].starts_with(marker) && pdf.get(i + marker.len()) != Some(&b's');
        (0..pdf.len()).filter(|&i| at(i)).count()
    }

    #[test]
    fn writes_a_report_across_pages() -> Outcome {
        let pdf = document(&sample())?;
        assert!(pdf.starts_with(b"%PDF-"));
        assert!(pdf.trim_ascii_end().ends_with(b"%%EOF"));
        let pages = page_count(&pdf);
        assert!(pages > 1, "{pages} page(s)");
        assert!(shows(&pdf, "Indicateurs de maintenance — Usine de Lyon"));
        assert!(shows(&pdf, "Arrêt réparé — 12 €"));
        assert!(shows(&pdf, "=cmd"));
        assert!(shows(&pdf, &format!("Page 1 / {pages}")));
        assert!(shows(&pdf, "Plus d'arrêt (suite)"));
        assert!(shows(&pdf, "/WinAnsiEncoding"));
        Ok(())
    }

    #[test]
    fn an_empty_table_says_so() -> Outcome {
        let mut doc = sample();
        doc.charts.clear();
        doc.tables = vec![table("Pannes", &[("Cause", false)], Vec::new())];
        assert!(shows(&document(&doc)?, "Aucune donnée"));
        doc.locale = Locale::En;
        let pdf = document(&doc)?;
        assert!(shows(&pdf, "No data"));
        assert_eq!(page_count(&pdf), 1);
        Ok(())
    }

    #[test]
    fn axes_end_on_round_numbers() {
        assert_eq!(axis(Unit::Percent, 97.4), (25.0, 100.0));
        assert_eq!(axis(Unit::Hours, 743.0), (200.0, 800.0));
        assert_eq!(axis(Unit::Hours, 800.0), (200.0, 800.0));
        assert_eq!(axis(Unit::Orders, 0.0), (1.0, 1.0));
        assert_eq!(axis(Unit::Orders, 3.0), (1.0, 3.0));
    }

    #[test]
    fn wide_tables_cut_only_their_widest_columns() {
        let widths = fitted(&[100.0, 60.0, 500.0], &[100.0, 50.0, 500.0]);
        assert_eq!(widths, vec![100.0, 50.0, WIDTH - 150.0]);
        let stretched = fitted(&[100.0, 100.0], &[50.0, 50.0]);
        assert_eq!(stretched, vec![WIDTH / 2.0; 2]);
    }

    /// Writes the sample to /tmp/gmao-report.pdf, to look at.
    #[test]
    #[ignore]
    fn writes_a_sample_file() -> Outcome {
        std::fs::write("/tmp/gmao-report.pdf", document(&sample())?)?;
        Ok(())
    }
}
