// Package stats holds the arithmetic of the insight dashboards: the median
// and 90th percentile of day counts, conversion rates between funnel stages
// as exact ratios, and the cohort (month of application, UK time) a co-op
// belongs to. Pure functions over values: it reads no store.
package stats
