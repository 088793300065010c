// Package svgchart draws the insight dashboards' charts as SVG on the
// server: a horizontal bar chart (a funnel by stage, counts by status) and
// a line or step chart over time (budget awarded, paid and remaining by
// month). No JavaScript: the page inlines the markup.
//
// Every chart is an image with a name (role="img", <title> and <desc>
// joined by aria-labelledby), its bars and lines carry text labels, its
// colours meet WCAG 2.1 contrast against white (3:1 for graphics, 1.4.11;
// 4.5:1 for text, 1.4.3), and series differ by dash pattern, marker shape
// and fill pattern as well as by colour (1.4.1), so the chart reads in
// greyscale print too. A chart's viewBox scales it to its container
// (width 100%, up to 26rem), readable at 320 px. Each chart gives the
// rows of the data table the page shows beside it (Table), which is what
// screen-reader users read: the image's own text is not announced.
//
// Labels are escaped for HTML and XML both; the result is template.HTML.
package svgchart
