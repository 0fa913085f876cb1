console.log("reference server: not wired yet")
