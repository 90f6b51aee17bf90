/**
 * Accessible SVG charts for any page: role="img" with a <title> and <desc>, values written as text
 * (never by colour alone), ticks on every scale, and the data behind a "show table" toggle
 * (ChartTable). Suppressed values ("<10") get no mark.
 */
export { type Bar, BarChart } from "./bar-chart";
export { type CalibrationPoint, CalibrationChart, calibrationScale } from "./calibration-chart";
export { type ChartData, ChartTable } from "./chart-table";
export { LineChart, type LineSeries } from "./line-chart";
export { type ChartValue, isNumber, niceTicks } from "./scale";
