package main

import (
	"context"
	"crypto/tls"
	"fmt"
	"net/http"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"
)

func oauthToken(ctx context.Context, args []string) (string, error) {
	tokenURL, dir, caFile := args[0], args[1], args[2]
	id, err := secretKey(dir, "client-id")
	if err != nil {
		return "", err
	}
	secret, err := secretKey(dir, "client-secret")
	if err != nil {
		return "", err
	}
	if tokenURL == "-" {
		fromSecret, err := secretKey(dir, "token-url")
		if err != nil {
			return "", err
		}
		tokenURL = string(fromSecret)
	}
	roots, err := trustOnly(caFile)
	if err != nil {
		return "", err
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots, MinVersion: tls.VersionTLS12}}}
	config := clientcredentials.Config{ClientID: string(id), ClientSecret: string(secret), TokenURL: tokenURL, AuthStyle: oauth2.AuthStyleInHeader}
	token, err := config.Token(context.WithValue(ctx, oauth2.HTTPClient, client))
	if err != nil {
		return "", err
	}
	if token.AccessToken == "" {
		return "", fmt.Errorf("%s issued an empty token", tokenURL)
	}
	return fmt.Sprintf("%s issued a %s token valid for %s", tokenURL, token.Type(), time.Until(token.Expiry).Round(time.Minute)), nil
}
