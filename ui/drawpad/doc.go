// Package drawpad holds the widgets of the playground's "draw a digit" panel:
// Pad, on which the mouse or a finger draws with a soft round pen; Preview,
// the 28×28 image the network actually receives, enlarged with crisp pixels;
// and Probabilities, the network's softmax as ten labelled bars, or two
// networks' side by side when the view compares the current network with a
// kept run's.
//
// The widgets only display. Turning a drawing into the network's input is
// engine.Preprocess, and asking the network is the window's business: it
// listens to Pad.OnChanged, preprocesses the image, and hands the results to
// Preview.Set and Probabilities.Set.
//
// All methods must be called on Fyne's goroutine (from event handlers, or
// wrapped in fyne.Do); the images the widgets hand out are copies that any
// goroutine may read.
package drawpad
