package state

import (
	"slices"

	"github.com/mnistplayground/mnistplayground/engine"
)

// Net is what decides a network before it trains: its shape and how its
// weights start. A trained network belongs to one Net; changing it means a
// different network.
type Net struct {
	Hidden []int
	Acts   []engine.Activation
	Loss   engine.Loss
	Init   engine.Init
	Seed   uint64
}

// Arch returns the network's architecture on MNIST.
func (n Net) Arch() engine.Architecture {
	return engine.MNISTArch(slices.Clone(n.Hidden), slices.Clone(n.Acts), n.Loss)
}

// Equal reports whether two settings describe the same network.
func (n Net) Equal(o Net) bool {
	return n.SameShape(o) && n.Init == o.Init && n.Seed == o.Seed
}

// SameShape reports whether two settings give networks of the same
// architecture, whatever their initialisation.
func (n Net) SameShape(o Net) bool {
	return slices.Equal(n.Hidden, o.Hidden) && slices.Equal(n.Acts, o.Acts) && n.Loss == o.Loss
}

// NetOf returns the network part of a configuration.
func NetOf(c engine.TrainConfig) Net {
	return Net{Hidden: slices.Clone(c.Arch.Hidden), Acts: slices.Clone(c.Arch.Acts), Loss: c.Arch.Loss, Init: c.Init, Seed: c.Seed}
}

// WithArch returns n with the layers, activations and loss of a, keeping
// its initialisation and seed: the settings of a network opened from a file.
func (n Net) WithArch(a engine.Architecture) Net {
	n.Hidden, n.Acts, n.Loss = slices.Clone(a.Hidden), slices.Clone(a.Acts), a.Loss
	return n
}

// Untrained is the network a session started from n begins with, so that
// the pad shows the very network Start will train.
func (n Net) Untrained() (*engine.Model, error) {
	return engine.InitialModel(engine.TrainConfig{Arch: n.Arch(), Init: n.Init, Seed: n.Seed})
}
