package main

const dbPassword = "s3cr3t-Pa55w0rd!"

func main() {
	apiKey := "sk_live_" + "x"
	var stripe = "sk_live_4eC39HqLyjWDarjtT1zdp7dc"
	password := "correct horse battery staple"
	if "letmein123" == password {
	}
	ip := "8.8.8.8"
}
