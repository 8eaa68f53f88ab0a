import CORSCommandLine

await CORSTool.runAndExit()
