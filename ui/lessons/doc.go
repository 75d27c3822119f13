// Package lessons reads the playground's guided experiments, each a JSON
// file: the settings of one to three training runs, what to watch while
// they train, and what the audience should see and why. The window's
// Lessons menu lists them; the package itself never imports fyne, so its
// parsing and checking are plain Go with plain tests, like ui/chart and
// ui/state. Lessons are content for the window, not part of the engine,
// but every run is read with the engine's own parsers and checked with
// engine.TrainConfig.Validate, so a lesson that loads is one that trains.
//
// # Adding a lesson
//
// A lesson is one file; adding one needs no Go. Built-in lessons live in
// assets/lessons and are embedded at build time (Builtin). A teacher's own
// go into a folder read at run time (LoadDir, LoadAll): UserDir names the
// window's, ~/.config/mnist-playground/lessons on Linux. Files are read in
// the order of their names, so number them (01-…, 02-…) to order a menu; a
// file whose id is a built-in lesson's replaces that lesson.
//
// A lesson file looks like this:
//
//	{
//	  "id": "too-high-a-learning-rate",
//	  "title": "Too high a learning rate",
//	  "chapter": "4.4",
//	  "view": "training",
//	  "watch": "The loss curve of the first run, and the message when it stops.",
//	  "explain": "Two or three sentences on what the audience should see and why.",
//	  "runs": [
//	    {"label": "lr 5", "layers": [100], "act": "relu", "loss": "ce", "init": "he",
//	     "opt": "sgd", "lr": 5, "schedule": "const", "batch": 100, "epochs": 3, "seed": 1}
//	  ]
//	}
//
// id (lowercase words joined by hyphens), title, watch, explain and runs
// are required; chapter (where the book treats the subject) and view (the
// view to bring to the front: one of Views, such as training, flow or
// draw) are not.
// A run's fields are the train command's flags, in the same forms:
// layers as a list [100, 50] or "100,50" ([] for none), act as one name for
// every layer or one per layer, loss ce or mse, init he, xavier or
// normal:SIGMA, opt sgd, momentum or adam, lr, schedule const, cosine or
// step:FACTOR@EPOCHS, batch, epochs, seed and weight_decay. A field left out
// takes the flag's default; label names the run in a legend and defaults to
// its shape. The first run is the one to show alone; a second and third are
// raced against it.
//
// A file that is not valid JSON, has a field not listed here, or sets up a
// run that cannot be trained is reported with its name and what is wrong,
// and skipped: loading returns the good lessons and the errors.
package lessons
