// Package layers is the view of the network's layers: for each, a ridge
// plot of its weight histograms over the run, with the size of its weight
// gradient and the share of its outputs where the activation is flat. A
// deep sigmoid network shows the vanishing gradient here: gradients orders
// of magnitude smaller towards the input, and outputs saturated.
package layers
