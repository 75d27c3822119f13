// Package settings is the view of the network's and the training's
// settings: the hidden layers with their activations, the loss, the
// initialisation and the seed, then the optimiser, the learning rate and
// its schedule, the batch size and the epochs. It reads and shows an
// engine.TrainConfig, checks every field as it is typed with the engine's
// limits, and tells the shell through its callbacks when the network or the
// learning rate has changed; it knows nothing of sessions.
package settings
