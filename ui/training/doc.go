// Package training is the view of a run's curves: the training and test
// loss over the steps (log or linear), and the test accuracy at each epoch
// end. It draws nothing itself: it hands the shell chart specs that the
// render worker draws with package chart.
package training
