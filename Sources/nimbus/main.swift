import ArgumentParser

NimbusCommand.main()
