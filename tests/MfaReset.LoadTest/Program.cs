Console.WriteLine("load driver: not built yet");
