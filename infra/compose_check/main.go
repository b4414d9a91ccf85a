// compose-check loads a compose file with compose-go, the library `docker compose` itself uses
// (profiles from COMPOSE_PROFILES, as docker compose reads them),
// and prints the normalised model, as `docker compose -f FILE config` does. For machines that
// have the docker client but not its compose plugin. Usage: go run ./infra/compose_check FILE
package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/compose-spec/compose-go/v2/cli"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: compose_check FILE")
		os.Exit(2)
	}
	path, _ := filepath.Abs(os.Args[1])
	options, err := cli.NewProjectOptions([]string{path}, cli.WithOsEnv, cli.WithDotEnv, cli.WithDefaultProfiles(), cli.WithName("newsflow"))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	project, err := options.LoadProject(context.Background())
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	out, err := project.MarshalYAML()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Print(string(out))
}
